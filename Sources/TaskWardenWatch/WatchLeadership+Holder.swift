import TaskWardenCore
import TaskWardenSQL

extension WatchLeadership {
    /// Who holds a table's watchdog lease, as its row says.
    public struct Holder: Sendable, Hashable {
        /// The replica: host, process id and a random suffix.
        public let owner: String
        /// Past this, by the database's clock, the lease is free for another replica.
        public let expiresAt: Timestamp

        public init(owner: String, expiresAt: Timestamp) {
            self.owner = owner
            self.expiresAt = expiresAt
        }
    }

    /// The name of the lease of the watchdogs of `table`.
    static func leaseName(table: String) -> String { "taskwarden.watch:\(table)" }

    /// Who leads the watchdogs of `table`, from any process: the lease row's owner and expiry.
    ///
    /// What `taskwarden serve`'s dashboard shows in place of a watchdog of its own.
    ///
    /// - Returns: `nil` when no watchdog ever held the lease.
    /// - Throws: `DatabaseError`, also when the lease table does not exist (no watchdog ever ran).
    public static func holder(ofTable table: String, on connection: any DatabaseConnection) throws -> Holder? {
        guard let row = try connection.query(SQL.Locks.LeaseOwner(name: .text(leaseName(table: table)))).first else { return nil }
        return Holder(owner: try row.decode(String.self, .owner), expiresAt: try row.decode(Timestamp.self, .expiresAt))
    }
}
