import Foundation
import TaskWardenCore

/// What `repair` changed.
public struct MigrationRepairResult: Sendable {
    /// Failed or interrupted records removed, so the migrations run again.
    public var cleared: [MigrationStatusReport.Entry] = []
    /// Applied migrations whose new checksum was accepted.
    public var accepted: [MigrationStatusReport.Entry] = []
    /// Failed or interrupted migrations recorded as applied after they were finished by hand.
    public var markedApplied: [MigrationStatusReport.Entry] = []
}

extension Migrator {
    /// Records every migration up to `version` as applied without running it.
    ///
    /// For adopting TaskWarden on a database that already has the tables. Refused when the set
    /// already has history: baselining over real history would hide what was applied.
    public func baseline(version: Int64) throws -> MigrationRunResult {
        guard set.migration(version: version) != nil else {
            throw MigrationError(.invalidRequest, "version \(version) is not a migration of set '\(set.name)'")
        }
        var result = MigrationRunResult()
        try withMigrationLock {
            let report = try status()
            if let recorded = report.entries.first(where: { $0.record != nil }) {
                throw MigrationError(
                    .invalidRequest,
                    "set '\(set.name)' already has history (version \(recorded.version) is \(recorded.status.rawValue)); baseline is for databases never migrated by TaskWarden")
            }
            try writeTransaction {
                for migration in set.migrations where migration.kind == .versioned && migration.version <= version {
                    try history.insert(migration, state: .baseline, statementsDone: 0)
                    try history.logEvent(version: migration.version, action: "baseline", checksum: migration.checksum, detail: nil)
                    result.steps.append(.init(version: migration.version, name: migration.name, milliseconds: 0))
                }
            }
        }
        result.currentVersion = try status().currentVersion
        return result
    }

    /// Clears failed and interrupted records after a manual fix, and with `acceptChanged`
    /// records the current checksum of edited applied migrations. Every change is logged in
    /// `taskwarden_schema_events`.
    ///
    /// - Parameter markApplied: instead of clearing it, record this failed or interrupted
    ///   migration as applied: for a migration outside a transaction (MySQL DDL) whose first
    ///   statements ran, after the operator ran the rest by hand. Clearing would run it again
    ///   from its first statement, which fails on what already ran.
    public func repair(acceptChanged: Bool = false, markApplied: Int64? = nil) throws -> MigrationRepairResult {
        var result = MigrationRepairResult()
        try withMigrationLock {
            let report = try status()
            if let version = markApplied {
                guard let entry = report.dirty.first(where: { $0.version == version }), let migration = entry.migration else {
                    throw MigrationError(
                        .invalidRequest, "migration \(version) of set '\(set.name)' is not failed or interrupted; there is nothing to mark applied")
                }
                try writeTransaction {
                    try history.updateState(version: version, state: .applied, statementsDone: migration.upStatements.count)
                    try history.logEvent(
                        version: version, action: "repair", checksum: migration.checksum,
                        detail: "marked applied after it was finished by hand (\(entry.status.rawValue) after \(entry.record?.statementsDone ?? 0) of \(migration.upStatements.count) statements)")
                }
                result.markedApplied.append(entry)
                return
            }
            try writeTransaction {
                for entry in report.dirty {
                    let detail = "cleared \(entry.status.rawValue) state" + (entry.record?.error.map { " (was: \($0))" } ?? "")
                    try history.delete(version: entry.version)
                    try history.logEvent(version: entry.version, action: "repair", checksum: entry.record?.checksum, detail: detail)
                    result.cleared.append(entry)
                }
                guard acceptChanged else { return }
                for entry in report.entries(.changed) {
                    guard let migration = entry.migration else { continue }
                    try history.updateChecksum(version: entry.version, checksum: migration.checksum)
                    try history.logEvent(
                        version: entry.version, action: "repair", checksum: migration.checksum,
                        detail: "accepted changed file (checksum was \(entry.record?.checksum ?? "?"))")
                    result.accepted.append(entry)
                }
            }
        }
        return result
    }
}
