import Foundation
import Logging
import TaskWardenCore
import TaskWardenLocking
import TaskWardenSQL

/// Applies, reverts and inspects one set of migrations on one database.
///
/// Safe to run on every deploy, from many replicas at once: `up` on an up-to-date database is
/// one read and no lock; otherwise it takes the migration lock, re-reads the history under it,
/// and applies what is still pending. On PostgreSQL and SQLite each migration and its history
/// row commit together, so an interrupted run leaves nothing half-done. MySQL commits DDL
/// implicitly: a migration is recorded `in_progress` before and `applied` after, and a failure
/// leaves it `failed`, naming the statement, until `repair`.
public final class Migrator {
    public let connection: any DatabaseConnection
    public let set: MigrationSet
    public let options: MigratorOptions
    let logger: Logger
    /// Opens the extra connection a session lock or a lease lives on.
    private let openLockConnection: () throws -> any DatabaseConnection
    /// Called once when the lock is busy and the migrator starts waiting for it.
    public var onLockWait: ((String) -> Void)?
    /// Whether the current command had to wait for another process's lock.
    var didWait = false
    /// Called with each lock as it is taken, so a signal handler can release it.
    public var onLockAcquired: ((any DatabaseLock) -> Void)?
    /// The server's id for the migrating session where DDL is not transactional (MySQL), set
    /// before ``onLockAcquired`` is called; `nil` elsewhere.
    ///
    /// A signal handler passes it to ``DatabaseLock/cancelStatement(ofSession:)`` before the
    /// process exits: MySQL goes on running a statement whose client went away, so an
    /// interrupted `ALTER TABLE` would otherwise keep running after "lock released".
    /// PostgreSQL ends it by itself (`client_connection_check_interval`) and rolls the
    /// transaction back; cancelling there could instead record the migration as failed.
    public private(set) var sessionID: Int64?

    public init(
        connection: any DatabaseConnection, set: MigrationSet, options: MigratorOptions = MigratorOptions(),
        logger: Logger = Logger(label: "taskwarden.migrate"),
        openLockConnection: @escaping () throws -> any DatabaseConnection
    ) {
        self.connection = connection
        self.set = set
        self.options = options
        self.logger = logger
        self.openLockConnection = openLockConnection
    }

    var history: MigrationHistory {
        MigrationHistory(connection: connection, setName: set.name, host: options.host, toolVersion: options.toolVersion)
    }

    /// Compares the files with the history. Reads only; creates nothing.
    ///
    /// Every command starts here, so the set name is checked here, before any SQL: a name the
    /// history table cannot hold would otherwise surface as a database error half-way.
    public func status() throws -> MigrationStatusReport {
        try Self.checkSetName(set.name)
        return MigrationStatusReport(set: set, records: try history.read())
    }

    /// Refuses a set name the history table cannot hold.
    static func checkSetName(_ name: String) throws(MigrationError) {
        // The history column counts characters (code points) on every backend.
        let length = name.unicodeScalars.count
        guard length > 0 else { throw MigrationError(.invalidRequest, "the set name is empty") }
        guard length <= MigrationSet.maximumNameLength else {
            throw MigrationError(
                .invalidRequest,
                "the set name '\(name.prefix(20))...' is \(length) characters long; at most \(MigrationSet.maximumNameLength) fit the history table")
        }
    }

    /// The lock mode in force: ``MigratorOptions/lockMode`` decided for this connection
    /// (``DatabaseLockMode/resolved(for:)``: a lease behind a pooler in `auto`, and on a Galera
    /// node). Asked once; says why when it is not what was asked.
    public func effectiveLockMode() throws -> DatabaseLockMode {
        if let resolvedLockMode { return resolvedLockMode }
        let mode = try options.lockMode.resolved(for: connection)
        if mode == .lease && options.lockMode != .lease {
            if connection.isRelayed {
                logger.info("the connection is relayed (a pooler or proxy): locking with a lease", metadata: ["lock": "\(options.lockName)"])
            } else {
                logger.notice(
                    "Galera cluster: GET_LOCK holds on one node only, so the migration lock is a lease row",
                    metadata: ["lock": "\(options.lockName)"])
            }
        } else if mode == .session && connection.isRelayed {
            logger.warning(
                "the connection is relayed (a pooler or proxy): a session lock does not hold behind a transaction pooler; use the lease lock mode")
        }
        resolvedLockMode = mode
        return mode
    }

    private var resolvedLockMode: DatabaseLockMode?

    /// What the lock of this migrator is, for `plan` output.
    public var lockDescription: String {
        if (try? effectiveLockMode()) ?? options.lockMode == .lease { return "lease '\(options.lockName)' in taskwarden_locks" }
        switch connection.dialect.locking {
        case .advisoryLock: return "advisory lock '\(options.lockName)' (pg_try_advisory_lock, polled)"
        case .namedLock: return "named lock '\(options.lockName)' (GET_LOCK, polled)"
        case .databaseFileLock: return "database file lock (BEGIN IMMEDIATE per migration)"
        }
    }

    /// Runs `body` holding the migration lock; the history tables exist when it runs.
    func withMigrationLock<T>(_ body: () throws -> T) throws -> T {
        let lock = try makeLock()
        defer { lock.release() }
        let acquired = try lock.acquire(timeout: options.lockTimeout) {
            self.announceWait("waiting for the \(self.lockDescription), held by another process")
        }
        guard acquired else {
            throw MigrationError(
                .lockTimeout,
                "another process held the migration lock for longer than \(options.lockTimeout.compactText) (\(lock.description))")
        }
        if !connection.dialect.hasTransactionalDDL {
            sessionID = try connection.query(SQL.Locks.SessionId()).first?.decode(Int64.self, .sessionId)
        }
        onLockAcquired?(lock)
        currentLock = lock
        defer { currentLock = nil }
        try writeTransaction { try history.createTables() }
        return try body()
    }

    /// The lock being held, if any.
    private(set) var currentLock: (any DatabaseLock)?

    private func makeLock() throws -> any DatabaseLock {
        if try effectiveLockMode() == .lease {
            return try LeaseLock(name: options.lockName, connection: try openLockConnection(), logger: logger)
        }
        switch connection.dialect.locking {
        case .advisoryLock, .namedLock: return try SessionLock(name: options.lockName, connection: try openLockConnection())
        case .databaseFileLock: return TransactionLock()
        }
    }

    /// Runs `body` in a transaction where DDL is transactional (PostgreSQL, SQLite), else directly.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        guard connection.dialect.hasTransactionalDDL else { return try body() }
        return try transaction(body)
    }

    /// Whether `migration` runs in one transaction here: it allows one, and DDL is transactional.
    func runsInTransaction(_ migration: Migration) -> Bool {
        migration.runsInTransaction && connection.dialect.hasTransactionalDDL
    }

    /// Runs `body` in a write transaction, re-run from the start while SQLite reports busy.
    ///
    /// On SQLite, `BEGIN IMMEDIATE` is the migration lock: another migrator holding the write
    /// lock makes it fail with `SQLITE_BUSY` after the URL's busy timeout. Retrying until
    /// `--lock-timeout` makes SQLite wait as long as the other backends do.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + options.lockTimeout
        while true {
            do {
                return try connection.inTransaction { _ in try body() }
            } catch let error as DatabaseError where error.category == .busy && connection.backend == .sqlite {
                guard clock.now < deadline else {
                    throw MigrationError(
                        .lockTimeout, "another process held the SQLite write lock for longer than \(options.lockTimeout.compactText)")
                }
                announceWait("waiting for the SQLite write lock, held by another process")
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Records that this command waits for another process, and tells ``onLockWait``.
    func announceWait(_ message: String) {
        didWait = true
        onLockWait?(message)
    }

    /// Throws when the lease was taken over: continuing would race another migrator.
    func checkLockStillHeld() throws {
        if currentLock?.isLost == true {
            throw MigrationError(.lockLost, "the migration lease was taken over by another process; stopping")
        }
    }
}
