import Foundation
import TaskWardenCore
import TaskWardenSQL

/// A PostgreSQL advisory lock or a MySQL named lock, held by a connection of its own.
///
/// The lock is per database on both: PostgreSQL's advisory locks are, and MySQL's server-wide
/// `GET_LOCK` names are scoped to the connection's database (`locks/session_try_acquire.sql`),
/// so applications sharing one server never wait for each other's lock.
///
/// The connection is dedicated to the lock: it holds the lock for as long as it is open, so a
/// process that dies (even by SIGKILL) releases the lock when the server notices the closed
/// socket. Behind pgbouncer in transaction pooling mode the session is not the client's, so
/// use ``LeaseLock`` there.
public final class SessionLock: DatabaseLock, @unchecked Sendable {
    public let name: String
    private let backend: DatabaseBackend
    private let isAdvisoryLock: Bool
    private let mutex = NSLock()
    private var connection: (any DatabaseConnection)?
    private var held = false

    /// Takes ownership of `connection`, which must not be used for anything else.
    ///
    /// - Throws: ``DatabaseLockError`` `.unsupported` for SQLite, which has no session locks
    ///   (its writers are serialized by the file lock; use ``TransactionLock`` or ``LeaseLock``).
    ///   A library must not crash its caller's process over an argument, so this is an error,
    ///   not a precondition.
    public init(name: String, connection: any DatabaseConnection) throws(DatabaseLockError) {
        guard connection.dialect.locking != .databaseFileLock else {
            connection.close()  // It was handed over; nobody else will close it.
            throw DatabaseLockError(
                .unsupported, "\(connection.backend.displayName) has no session locks; use the lease lock or the database file lock")
        }
        self.name = name
        self.backend = connection.backend
        self.isAdvisoryLock = connection.dialect.locking == .advisoryLock
        self.connection = connection
    }

    public var description: String {
        "\(isAdvisoryLock ? "advisory lock" : "named lock (GET_LOCK)") '\(name)'"
    }

    public func tryAcquire() throws -> Bool {
        try mutex.withLock {
            guard let connection else {
                throw DatabaseError(backend: backend, category: .connectionLost, message: "the lock was released")
            }
            let acquired = try connection.query(SQL.Locks.SessionTryAcquire(name: .text(name))).first?.decode(Bool?.self, .acquired) ?? false
            held = held || acquired == true
            return acquired == true
        }
    }

    /// Whether the lock's session is gone (killed, or its connection dropped), and the lock
    /// with it. Asks the server: nothing else talks on the dedicated connection, so a dropped
    /// session shows only when the connection is used.
    public var isLost: Bool {
        mutex.withLock {
            guard held else { return false }
            guard let connection, !connection.isClosed else { return true }
            return (try? connection.ping()) == nil
        }
    }

    /// Releases the lock and closes its connection.
    public func release() {
        mutex.withLock {
            guard let connection else { return }
            if held {
                _ = try? connection.query(SQL.Locks.SessionRelease(name: .text(name)))
            }
            connection.close()
            self.connection = nil
            held = false
        }
    }

    public func cancelStatement(ofSession sessionID: Int64) -> Bool {
        mutex.withLock {
            guard let connection, connection.backend != .sqlite else { return false }
            return (try? connection.execute(SQL.Locks.CancelStatement(sessionId: .integer(sessionID)))) != nil
        }
    }

    deinit { release() }
}
