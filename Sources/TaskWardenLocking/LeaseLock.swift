import Foundation
import Logging
import TaskWardenCore
import TaskWardenSQL

/// A lock held as a row in `taskwarden_locks`: an owner, an expiry, and a heartbeat.
///
/// Works wherever rows do, including behind pgbouncer in transaction pooling mode and on Galera
/// clusters, which refuse `GET_LOCK`. While held, a background thread renews the lease every
/// third of its time to live; if the process dies, the lease expires and the next claimant
/// takes it over. Expiry is judged by the database's clock, so clock skew between clients
/// does not matter.
public final class LeaseLock: DatabaseLock, @unchecked Sendable {
    public let name: String
    public let owner: String
    public let timeToLive: Duration
    private let backend: DatabaseBackend
    private let mutex = NSLock()
    private var connection: (any DatabaseConnection)?
    private var held = false
    private var lost = false
    private var heartbeat: Thread?
    private let logger: Logger

    /// Takes ownership of `connection`, which must not be used for anything else.
    ///
    /// - Parameter owner: who claims the lease; by default host, process id and a random suffix.
    public init(
        name: String, connection: any DatabaseConnection, timeToLive: Duration = .seconds(30),
        owner: String = LeaseLock.defaultOwner(), logger: Logger = Logger(label: "taskwarden.lock")
    ) throws {
        self.name = name
        self.owner = owner
        self.timeToLive = timeToLive
        self.backend = connection.backend
        self.connection = connection
        self.logger = logger
        try Self.createTable(on: connection)
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    public var description: String { "lease '\(name)' (expires \(timeToLive.compactText) after the last heartbeat)" }

    /// Creates the lease table; a concurrent creator winning the race is not an error.
    private static func createTable(on connection: any DatabaseConnection) throws {
        do {
            try connection.execute(SQL.Locks.CreateLeaseTable())
        } catch let error as DatabaseError where error.category == .constraintViolation || error.category == .busy {
            // PostgreSQL's CREATE TABLE IF NOT EXISTS can lose a catalog race with a unique
            // violation; the table exists afterwards, which is all that matters.
            _ = try connection.query(SQL.Locks.LeaseOwner(name: .text("")))
        }
    }

    public func tryAcquire() throws -> Bool {
        try mutex.withLock {
            guard let connection else {
                throw DatabaseError(backend: backend, category: .connectionLost, message: "the lock was released")
            }
            do {
                try connection.execute(
                    SQL.Locks.LeaseClaim(name: .text(name), owner: .text(owner), ttlUs: .integer(Int64(timeToLive.seconds * 1_000_000))))
            } catch let error as DatabaseError where error.category == .deadlock {
                // Two claims at once on different Galera nodes: one fails certification (1213)
                // and is rolled back. The other claimant won this round; the caller polls.
                return false
            }
            let current = try connection.query(SQL.Locks.LeaseOwner(name: .text(name))).first?.decode(String.self, .owner)
            guard current == owner else { return false }
            if !held {
                held = true
                startHeartbeat()
            }
            return true
        }
    }

    public var isLost: Bool { mutex.withLock { lost } }

    public func release() {
        let thread: Thread? = mutex.withLock {
            defer { heartbeat = nil }
            guard let connection else { return heartbeat }
            if held && !lost {
                _ = try? connection.execute(SQL.Locks.LeaseRelease(name: .text(name), owner: .text(owner)))
            }
            connection.close()
            self.connection = nil
            held = false
            return heartbeat
        }
        thread?.cancel()
    }

    public func cancelStatement(ofSession sessionID: Int64) -> Bool {
        mutex.withLock {
            guard let connection, connection.backend != .sqlite else { return false }
            return (try? connection.execute(SQL.Locks.CancelStatement(sessionId: .integer(sessionID)))) != nil
        }
    }

    deinit { release() }

    /// Renews the lease every third of its time to live until released or lost.
    private func startHeartbeat() {
        let interval = timeToLive.seconds / 3
        let thread = Thread { [weak self] in
            while let self, !Thread.current.isCancelled {
                Thread.sleep(forTimeInterval: interval)
                if Thread.current.isCancelled || !self.renew() { return }
            }
        }
        thread.name = "taskwarden.lease-heartbeat"
        heartbeat = thread
        thread.start()
    }

    /// One renewal; `false` when the lease is gone or released.
    private func renew() -> Bool {
        mutex.withLock {
            guard let connection, held, !lost else { return false }
            do {
                let renewed = try connection.execute(
                    SQL.Locks.LeaseRenew(ttlUs: .integer(Int64(timeToLive.seconds * 1_000_000)), name: .text(name), owner: .text(owner)))
                if renewed == 0 {
                    lost = true
                    logger.error("lease lost: another process took it over", metadata: ["lock": "\(name)"])
                    return false
                }
            } catch {
                // A missed heartbeat is not yet a lost lease: it expires only after the full TTL.
                logger.warning("lease heartbeat failed", metadata: ["lock": "\(name)", "error": "\(error)"])
            }
            return true
        }
    }
}
