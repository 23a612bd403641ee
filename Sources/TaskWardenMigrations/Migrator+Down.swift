import Foundation
import TaskWardenCore

extension Migrator {
    /// The applied migrations `down(to:steps:)` would revert, newest first.
    public func revertPlan(to target: Int64?, steps: Int?) throws -> [MigrationStatusReport.Entry] {
        try Self.revertPlan(in: try status(), to: target, steps: steps)
    }

    static func revertPlan(in report: MigrationStatusReport, to target: Int64?, steps: Int?) throws -> [MigrationStatusReport.Entry] {
        // Repeatable migrations (negative versions) have no down section: they are not reverted.
        let applied = report.entries.filter { $0.version > 0 && $0.record?.state.countsAsApplied == true }.reversed()
        let chosen: [MigrationStatusReport.Entry]
        switch (target, steps) {
        case (let target?, nil): chosen = applied.filter { $0.version > target }
        case (nil, let steps?): chosen = Array(applied.prefix(max(0, steps)))
        default: throw MigrationError(.invalidRequest, "give exactly one of a target version and a number of steps")
        }
        for entry in chosen {
            guard let migration = entry.migration else {
                throw MigrationError(.invalidRequest, "migration \(entry.version) is applied but this binary has no file for it")
            }
            guard migration.downStatements != nil else {
                throw MigrationError(.invalidRequest, "migration \(entry.version) \(entry.name) has no '-- taskwarden:down' section")
            }
        }
        return chosen
    }

    /// Reverts applied migrations, newest first: those above `target`, or the last `steps`.
    ///
    /// - Parameter expected: the versions a person confirmed (from ``revertPlan(to:steps:)``,
    ///   read before the lock). If another process changed the history in between, the plan
    ///   under the lock differs and nothing is reverted, rather than something not confirmed.
    public func down(to target: Int64? = nil, steps: Int? = nil, expected: [Int64]? = nil) throws -> MigrationRunResult {
        var result = MigrationRunResult()
        try withMigrationLock {
            let report = try status()
            try Self.checkApplicable(report)
            let plan = try Self.revertPlan(in: report, to: target, steps: steps)
            if let expected, plan.map(\.version) != expected {
                throw MigrationError(
                    .invalidRequest,
                    "the migrations to revert changed since they were confirmed (now: \(plan.map { String($0.version) }.joined(separator: ", "))); nothing was reverted, run it again")
            }
            for entry in plan {
                try checkLockStillHeld()
                guard let migration = entry.migration, let statements = migration.downStatements else { continue }
                result.steps.append(try revert(migration, statements: statements))
            }
        }
        result.currentVersion = try status().currentVersion
        return result
    }

    private func revert(_ migration: Migration, statements: [String]) throws -> MigrationRunResult.Step {
        logger.info("reverting migration", metadata: ["set": "\(set.name)", "version": "\(migration.version)"])
        let clock = ContinuousClock()
        let start = clock.now
        let transactional = runsInTransaction(migration)
        do {
            if transactional {
                try transaction {
                    try setTimeouts(local: true)
                    try run(statements, of: migration, from: 0)
                    try history.delete(version: migration.version)
                    try history.logEvent(version: migration.version, action: "revert", checksum: migration.checksum, detail: nil)
                }
            } else {
                try setTimeouts(local: false)
                try run(statements, of: migration, from: 0)
                try history.delete(version: migration.version)
                try history.logEvent(version: migration.version, action: "revert", checksum: migration.checksum, detail: nil)
            }
        } catch let failure as StatementFailure {
            if !transactional {
                // Part of the down section may have run: the migration is neither applied nor reverted.
                try history.updateState(
                    version: migration.version, state: .failed, statementsDone: migration.upStatements.count,
                    error: "down " + failure.summary)
            }
            try history.logEvent(version: migration.version, action: "fail", checksum: migration.checksum, detail: "down " + failure.summary)
            throw failure.migrationError(migration)
        }
        return MigrationRunResult.Step(
            version: migration.version, name: migration.name, milliseconds: Int64((clock.now - start).seconds * 1_000))
    }
}
