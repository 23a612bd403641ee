import TaskWardenCore

/// What `migrate up` would run, without running anything.
public struct MigrationPlan: Sendable {
    /// One migration's part of the plan.
    public struct Step: Sendable {
        public let migration: Migration
        /// Whether the migration and its history row commit in one transaction.
        public let inTransaction: Bool
    }

    public let setName: String
    /// How the run would be serialized against other processes.
    public let lock: String
    public let steps: [Step]
}

extension Migrator {
    /// The pending migrations up to `target`, with how each would run. Reads only.
    public func plan(to target: Int64? = nil) throws -> MigrationPlan {
        let report = try status()
        try Self.checkApplicable(report)
        let steps = Self.pending(in: report, upTo: target).compactMap(\.migration).map {
            MigrationPlan.Step(migration: $0, inTransaction: runsInTransaction($0))
        }
        return MigrationPlan(setName: set.name, lock: lockDescription, steps: steps)
    }
}
