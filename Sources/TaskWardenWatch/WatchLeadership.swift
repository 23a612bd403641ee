import Foundation
import Logging
import TaskWardenCore
import TaskWardenLocking
import TaskWardenSQL

/// Which replica acts: the holder of a lease row per database and table, claimed, renewed and
/// checked by every replica each cycle.
///
/// A lease row rather than a session lock, so that it works behind a transaction pooler and on
/// Galera, and so that it can fence: each transaction the leader's changes make first checks,
/// and locks, its lease row (``fence(_:)``). A leader cut off from the database stops renewing;
/// after ``WatchOptions/leaseDuration`` another replica claims the row, and the deposed
/// leader's next batch finds the lease gone and rolls back instead of acting beside it.
public final class WatchLeadership: @unchecked Sendable {
    /// The lease's name: one per table watched.
    public let name: String
    /// This replica: host, process id and a random suffix.
    public let owner: String
    private let leaseDuration: Duration
    private let connect: @Sendable () throws -> any DatabaseConnection
    private let logger: Logger
    private let mutex = NSLock()
    private var lease: LeaseLock?

    /// - Parameter connect: opens the lease's own session, which nothing else uses.
    public init(
        table: String, leaseDuration: Duration, owner: String = LeaseLock.defaultOwner(), logger: Logger,
        connect: @escaping @Sendable () throws -> any DatabaseConnection
    ) {
        self.name = Self.leaseName(table: table)
        self.owner = owner
        self.leaseDuration = leaseDuration
        self.connect = connect
        self.logger = logger
    }

    /// Whether this replica leads now: it keeps a lease it holds (renewed in the background),
    /// or claims one that is free or expired. A session that failed is dropped and reopened on
    /// the next call, so leadership survives a database outage.
    public func refresh() throws -> Bool {
        try mutex.withLock {
            if let lease, lease.isLost {
                lease.release()
                self.lease = nil
            }
            if lease == nil {
                lease = try LeaseLock(name: name, connection: try connect(), timeToLive: leaseDuration, owner: owner, logger: logger)
            }
            do {
                return try lease?.tryAcquire() ?? false
            } catch {
                lease?.release()
                lease = nil
                throw error
            }
        }
    }

    /// Throws ``WatchError/Kind/leaseLost(name:)`` unless this replica still holds the lease,
    /// unexpired; locks the lease row until `connection`'s transaction ends. Run first in each
    /// transaction that changes runs (``TaskRuns`` calls it as its fence).
    public func fence(_ connection: any DatabaseConnection) throws {
        guard try connection.query(SQL.Locks.LeaseFence(name: .text(name), owner: .text(owner))).first != nil else {
            throw WatchError(.leaseLost(name: name))
        }
    }

    /// Gives the lease up, so that another replica takes over at once.
    public func release() {
        mutex.withLock {
            lease?.release()
            lease = nil
        }
    }
}
