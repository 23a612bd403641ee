import Foundation
import TaskWardenCore

/// A lock that processes sharing one database honour: one holder at a time.
///
/// Migrations take one so that N replicas deploying at once apply each migration exactly once;
/// the watchdog takes one to elect a leader. Implementations differ in what holds the lock (a
/// session, a row) but not in how they are used:
///
/// ```swift
/// guard try lock.acquire(timeout: .seconds(60)) else { throw ... }
/// defer { lock.release() }
/// ```
public protocol DatabaseLock: AnyObject, Sendable {
    /// Says what the lock is, for logs and `plan` output: `advisory lock 'taskwarden.migrate'`.
    var description: String { get }

    /// Tries once, without waiting inside the database. `true` when this process now holds it.
    func tryAcquire() throws -> Bool

    /// Whether the lock was held and then lost (a lease taken over after missed heartbeats, a
    /// session killed). Work that needs the lock should stop when this turns true.
    var isLost: Bool { get }

    /// Gives the lock up. Safe to call twice, from any thread, and after the lock was lost.
    func release()

    /// Stops the statement another session of the same server is running (`KILL QUERY`,
    /// `pg_cancel_backend`), through the lock's own session; best effort, from any thread.
    ///
    /// For an interrupted migrator: it cannot use its own connection, which is busy with the
    /// statement, and must not exit leaving the statement running on the server.
    ///
    /// - Returns: whether the server accepted the request.
    func cancelStatement(ofSession sessionID: Int64) -> Bool
}

extension DatabaseLock {
    /// Locks without a session of their own (SQLite's file lock) cannot cancel anything.
    public func cancelStatement(ofSession sessionID: Int64) -> Bool { false }
}

extension DatabaseLock {
    /// Polls ``tryAcquire()`` until it succeeds or `timeout` has passed.
    ///
    /// Polling from the client, rather than a blocking wait in the server, is deliberate: a
    /// session blocked in `pg_advisory_lock` holds a snapshot that `CREATE INDEX CONCURRENTLY`
    /// in the lock holder's session waits for, and the two deadlock.
    ///
    /// - Returns: `false` when the timeout passed without the lock.
    public func acquire(
        timeout: Duration, pollInterval: Duration = .milliseconds(250), onWait: (() -> Void)? = nil
    ) throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var announced = false
        while true {
            if try tryAcquire() { return true }
            if !announced {
                onWait?()
                announced = true
            }
            guard clock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: min(pollInterval, deadline - clock.now).seconds)
        }
    }
}

/// How a lock is held.
public enum DatabaseLockMode: String, Sendable, CaseIterable {
    /// ``lease`` when the connection is relayed by a pooler or proxy
    /// (``DatabaseConnection/isRelayed``), else ``session``: see ``resolved(for:)``.
    case auto
    /// The backend's session lock: PostgreSQL advisory lock, MySQL `GET_LOCK`. On SQLite,
    /// writers are serialized by the database file lock (`BEGIN IMMEDIATE`) instead.
    case session
    /// A row in `taskwarden_locks` with an owner and an expiry, renewed by a heartbeat; a
    /// lease whose owner stopped renewing is taken over. For pgbouncer in transaction pooling
    /// mode and MariaDB Galera clusters, where session locks do not work.
    case lease
}

extension DatabaseLockMode {
    /// The mode to use on `connection`: ``auto`` decided, the others as they are.
    ///
    /// Behind a transaction pooler (PgBouncer's `pool_mode = transaction`), a session lock is
    /// taken by whichever server session ran the statement, is not released with the client's,
    /// and does not exclude a second client relayed through the same server session: so
    /// `auto` takes a lease whenever something relays the connection. A lease is correct on a
    /// direct connection too, only slower to pass on after a crash (it must expire); a session
    /// lock is kept where nothing relays, since it is released the moment its holder dies.
    ///
    /// On a Galera node, ``auto`` and ``session`` both take a lease: `GET_LOCK` holds only on
    /// the node that granted it (``GaleraNode``), so a session lock there locks out nobody on
    /// the other nodes.
    public func resolved(for connection: any DatabaseConnection) throws -> DatabaseLockMode {
        switch self {
        case .lease: return .lease
        case .auto where connection.isRelayed: return .lease
        case .auto, .session: return try GaleraNode.detect(on: connection) != nil ? .lease : .session
        }
    }
}
