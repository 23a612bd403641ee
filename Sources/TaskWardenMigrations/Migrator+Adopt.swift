import Foundation
import TaskWardenCore

extension Migrator {
    /// What adopting `tool`'s history would record. Reads only; creates nothing.
    ///
    /// - Throws: ``MigrationError`` `.invalidRequest` when the set already has TaskWarden
    ///   history, the folder is not in `tool`'s format, or the tool's table is missing;
    ///   `.dirty` when the tool's history says a migration failed (golang-migrate's dirty
    ///   flag, a failed Flyway row); `.drift` when it applied a version (or a repeatable)
    ///   whose file is not in the folder.
    public func adoptionPlan(from tool: MigrationFormat) throws -> AdoptionPlan {
        try Self.checkSetName(set.name)
        guard tool != .taskwarden else { throw MigrationError(.invalidRequest, "adopt reads another tool's history; taskwarden is this one") }
        guard set.format == tool else {
            throw MigrationError(
                .invalidRequest, "the folder is in \(set.format.rawValue) format, not \(tool.rawValue); adopt the history of the tool that wrote these files")
        }
        if let recorded = try status().entries.first(where: { $0.record != nil }) {
            throw MigrationError(
                .invalidRequest,
                "set '\(set.name)' already has history (version \(recorded.version) is \(recorded.status.rawValue)); adopt is for databases TaskWarden has not migrated yet")
        }
        let history = try PreviousToolHistory.read(tool, connection: connection)
        if let failure = history.failure {
            throw MigrationError(
                .dirty, "\(failure); fix the schema and the history with \(tool.rawValue) first (e.g. '\(Self.repairCommand(of: tool))'), then adopt")
        }
        if let missing = history.versions.first(where: { set.migration(version: $0) == nil }) {
            throw MigrationError(.drift, "\(history.table) says version \(missing) is applied, but the folder has no file for it; restore the file, then adopt")
        }
        let versioned = set.migrations.filter { $0.kind == .versioned }
        let applied = Set(history.versions)
        let baselined = versioned.filter { version in history.baselineVersion.map { version.version <= $0 } == true && !applied.contains(version.version) }
        let adopted = versioned.filter { migration in
            applied.contains(migration.version) || history.appliedThrough.map { migration.version <= $0 } == true
        }
        let adoptedVersions = Set(adopted.map(\.version)).union(baselined.map(\.version))
        var current: [Migration] = []
        var rerun: [Migration] = []
        for repeatable in set.migrations where repeatable.kind == .repeatable {
            let ran = history.repeatables.first { $0.description == repeatable.name }
            if let ran, ran.checksum == FlywayChecksum.of(try text(of: repeatable)) { current.append(repeatable) } else { rerun.append(repeatable) }
        }
        if let gone = history.repeatables.first(where: { ran in !set.migrations.contains { $0.kind == .repeatable && $0.name == ran.description } }) {
            throw MigrationError(
                .drift, "\(history.table) says repeatable '\(gone.description)' was applied, but the folder has no R__ file for it; restore the file, then adopt")
        }
        let edited = try adopted.filter { migration in
            guard let recorded = history.checksums[migration.version], tool == .flyway else { return false }
            return recorded != FlywayChecksum.of(try text(of: migration))
        }
        return AdoptionPlan(
            history: history, adopted: adopted + current, baselined: baselined, rerun: rerun,
            pending: versioned.filter { !adoptedVersions.contains($0.version) }, editedSinceApplied: edited)
    }

    /// Records what `tool`'s history says was applied as applied in TaskWarden's history, so
    /// that `migrate` from now on applies only the rest.
    ///
    /// Under the migration lock. Refused, like ``adoptionPlan(from:)``, when the set already
    /// has TaskWarden history, as `baseline` is. Every record is logged in `taskwarden_schema_events` as `adopt`.
    public func adopt(from tool: MigrationFormat) throws -> AdoptionPlan {
        _ = try adoptionPlan(from: tool)  // refuses before creating anything
        return try withMigrationLock {
            // Again under the lock: another process may have migrated or adopted meanwhile.
            let plan = try adoptionPlan(from: tool)
            try writeTransaction {
                let detail = "applied by \(tool.rawValue) (\(plan.history.table))"
                for (migrations, state) in [(plan.adopted, MigrationRecord.State.applied), (plan.baselined, .baseline)] {
                    for migration in migrations {
                        try history.insert(migration, state: state, statementsDone: state == .applied ? migration.upStatements.count : 0)
                        try history.logEvent(version: migration.version, action: "adopt", checksum: migration.checksum, detail: detail)
                    }
                }
            }
            return plan
        }
    }

    /// The file's text as it is now, for Flyway's checksum.
    private func text(of migration: Migration) throws -> String {
        guard let data = FileManager.default.contents(atPath: migration.path), let text = String(data: data, encoding: .utf8) else {
            throw MigrationFileError(path: migration.path, reason: "cannot read as UTF-8 text", kind: .unreadable)
        }
        return text
    }

    private static func repairCommand(of tool: MigrationFormat) -> String {
        switch tool {
        case .golangMigrate: "migrate force <version>"
        case .flyway: "flyway repair"
        default: "\(tool.rawValue) status"
        }
    }
}
