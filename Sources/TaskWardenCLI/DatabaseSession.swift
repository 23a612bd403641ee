import Foundation
import Logging
import TaskWarden

/// Opens the database a command works on, reporting failures as ``ConnectFailure``.
///
/// A command works in one session (its lock wait settings, its locks, its batches), so it
/// reaches the database through a ``ConnectionQueue``: the same access protocol as workers,
/// with one connection that is never silently replaced.
struct DatabaseSession {
    /// The URL as the user gave it, for messages.
    let url: DatabaseURL
    /// The URL connections are opened with: `url`, plus `mode=rw` for a SQLite file the
    /// command must not create.
    let connectURL: DatabaseURL
    let source: DatabaseURL.Source
    /// The command's one connection.
    let database: ConnectionQueue
    /// How long connecting took.
    let connectDuration: Duration

    /// Connects, retrying lost or refused connections until `waitFor` has passed.
    ///
    /// Deploys often start before the database accepts connections; `--wait-for-database`
    /// covers that without a shell loop. Authentication failures and bad URLs are not retried.
    /// Waits follow ``RetryPolicy``'s rule: from 250 ms, doubling up to 2 s, with jitter; each
    /// retry is logged by the queue with its reason.
    ///
    /// - Parameter creatingDatabase: whether a SQLite file that does not exist yet may be
    ///   created. Only the commands that create the schema pass `true`: any other command on a
    ///   missing file would create an empty one and then fail on a missing table, leaving a
    ///   stray file behind and hiding which database was meant.
    /// - Parameter lockWait: how long the session's statements wait for a lock, unless the URL
    ///   sets it (`lock_timeout`, `innodb_lock_wait_timeout` and `lock_wait_timeout`, `busy_timeout`).
    static func open(
        _ globals: GlobalOptions, logger: Logger, waitFor: Duration? = nil, creatingDatabase: Bool = false,
        lockWait: Duration? = nil
    ) throws -> DatabaseSession {
        let (url, source) = try globals.resolveDatabaseURL()
        logger.debug("connecting", metadata: ["url": "\(url.redacted)", "source": "\(source)"])
        var connectURL = url
        var missingFile: String?
        if !creatingDatabase, case .file(let path) = url.sqliteLocation {
            // mode=rw makes SQLite itself refuse a missing file, after the URL's other
            // parameters were checked; an explicit mode in the URL is the user's to choose.
            connectURL = url.defaultingParameter("mode", to: "rw")
            missingFile = path
        }
        if let lockWait {
            connectURL = connectURL.limitingLockWaits(to: lockWait)
        }
        let start = ContinuousClock.now
        let policy = RetryPolicy(maxAttempts: .max, maxTotalTime: waitFor ?? .zero, initialDelay: .milliseconds(250), maxDelay: .seconds(2))
        do {
            let database = try DatabaseDrivers.queue(connectURL, retry: policy, logger: logger)
            return DatabaseSession(
                url: url, connectURL: connectURL, source: source, database: database, connectDuration: ContinuousClock.now - start)
        } catch let error as DatabaseURLError {
            throw error
        } catch let error as DatabaseError {
            if let missingFile, !FileManager.default.fileExists(atPath: missingFile) {
                throw ConnectFailure(url: url, underlying: MissingDatabaseFile(source: source))
            }
            throw ConnectFailure(url: url, underlying: error)
        } catch {
            throw ConnectFailure(url: url, underlying: error)
        }
    }

    /// A second connection to the same database, for locks that need a session of their own.
    func openAnother() throws -> any DatabaseConnection {
        try DatabaseDrivers.connect(connectURL)
    }

    /// Runs `body` with the command's connection; nothing is retried behind the user's back.
    func withConnection<T>(_ body: (any DatabaseConnection) throws -> T) throws -> T {
        try database.withConnection(retry: .never, body)
    }
}

extension DatabaseURL {
    /// This URL with each backend's lock wait settings defaulting to `limit`.
    ///
    /// MariaDB's own default for a metadata lock (`LOCK TABLES`, DDL) is a day, and
    /// PostgreSQL's is forever: a maintenance command must not sit silently behind one.
    func limitingLockWaits(to limit: Duration) -> DatabaseURL {
        let milliseconds = String(max(1, Int64((limit.seconds * 1_000).rounded(.up))))
        let seconds = String(max(1, Int64(limit.seconds.rounded(.up))))
        switch backend {
        case .postgresql: return defaultingParameter("lock_timeout", to: milliseconds)
        case .mysql:
            return defaultingParameter("innodb_lock_wait_timeout", to: seconds).defaultingParameter("lock_wait_timeout", to: seconds)
        case .sqlite: return defaultingParameter("busy_timeout", to: milliseconds)
        }
    }
}

/// A SQLite file that does not exist, for a command that must not create it.
struct MissingDatabaseFile: Error, CustomStringConvertible {
    let source: DatabaseURL.Source

    var description: String {
        let chosen =
            switch source {
            case .option: "given with --database"
            case .optionFile(let path): "read from \(path)"
            case .environment(let name): "from $\(name)"
            case .embeddedDefault: "the default, as no --database, $TASKWARDEN_DATABASE_URL or $DATABASE_URL is set"
            }
        return "the file does not exist (\(chosen)); 'taskwarden migrate' creates it"
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double { seconds * 1_000 }
}
