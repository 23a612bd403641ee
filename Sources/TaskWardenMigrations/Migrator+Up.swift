import Foundation
import TaskWardenCore
import TaskWardenSQL

/// What a migration command did.
public struct MigrationRunResult: Sendable {
    /// One migration applied or reverted.
    public struct Step: Sendable, Hashable {
        public let version: Int64
        public let name: String
        public let milliseconds: Int64
    }

    /// The migrations this process ran, in order.
    public var steps: [Step] = []
    /// The version the database is at afterwards.
    public var currentVersion: Int64 = 0
    /// Whether this process had to wait for another's lock (it may then have found nothing to do).
    public var waitedForLock = false
}

extension Migrator {
    /// Applies the pending migrations up to `target` (all when `nil`).
    ///
    /// - Throws: ``MigrationError`` `.dirty` when a migration failed or was interrupted before,
    ///   `.drift` when an applied file changed, `.lockTimeout`, or `.failed` when a migration
    ///   fails now (after recording it as failed).
    public func up(to target: Int64? = nil) throws -> MigrationRunResult {
        if let target, set.migration(version: target) == nil {
            throw MigrationError(.invalidRequest, "version \(target) is not a migration of set '\(set.name)'")
        }
        // The fast path: one read, no lock, for the common case of a deploy with nothing to do.
        // A failed or in-progress record is judged only under the lock: without it, "in
        // progress" may be another replica applying that migration right now.
        let before = try status()
        if before.historyExists && before.dirty.isEmpty && before.drift.isEmpty
            && Self.pending(in: before, upTo: target).isEmpty
        {
            return MigrationRunResult(currentVersion: before.currentVersion)
        }
        var result = MigrationRunResult()
        didWait = false
        try withMigrationLock {
            let report = try status()
            try Self.checkApplicable(report)
            for entry in Self.pending(in: report, upTo: target) {
                try checkLockStillHeld()
                guard let migration = entry.migration else { continue }
                if let step = try apply(migration) { result.steps.append(step) }
            }
        }
        result.currentVersion = try status().currentVersion
        result.waitedForLock = didWait
        return result
    }

    /// Refuses to go on from a failed, interrupted or drifted history: throws
    /// ``MigrationError`` `.dirty` or `.drift` with a one-line reason and what to do.
    public static func checkApplicable(_ report: MigrationStatusReport) throws {
        if let entry = report.dirty.first {
            throw MigrationError(.dirty, dirtyMessage(entry))
        }
        if let entry = report.drift.first {
            let what = entry.status == .changed ? "was edited after it was applied" : "is applied but its file is missing"
            throw MigrationError(
                .drift,
                "migration \(entry.version) \(entry.name) \(what); restore it, or accept it with 'taskwarden migrate repair --accept-changed'")
        }
    }

    /// What happened to a failed or interrupted migration, which statements ran, and the ways
    /// forward that work from there.
    public static func dirtyMessage(_ entry: MigrationStatusReport.Entry) -> String {
        let state = entry.status == .failed ? "failed" : "was interrupted (in progress)"
        let error = entry.record?.error.map { ": \($0)" } ?? ""
        let done = entry.record?.statementsDone ?? 0
        let total = entry.migration.map { " of \($0.upStatements.count)" } ?? ""
        let head = "migration \(entry.version) \(entry.name) \(state)\(error)"
        if entry.status == .inProgress || done > 0 {
            // Outside a transaction (MySQL DDL): what ran stays, and running the migration
            // again from statement 1 would fail on it ("Table already exists").
            let ran = done == 0 ? "no statement had completed" : "statements 1-\(done)\(total) had completed and stay applied"
            let running = entry.status == .inProgress ? "; statement \(done + 1) was running and may have taken effect" : ""
            return "\(head); \(ran)\(running). Either finish the rest by hand, then 'taskwarden migrate repair --mark-applied \(entry.version)'; "
                + "or undo what ran, then 'taskwarden migrate repair' (it runs again from statement 1)"
        }
        return "\(head); nothing of it remains (it ran in a transaction). Fix the cause, then run 'taskwarden migrate repair'"
    }

    static func pending(in report: MigrationStatusReport, upTo target: Int64?) -> [MigrationStatusReport.Entry] {
        report.pending.filter { target == nil || $0.version <= target! }
    }

    /// Applies one migration, or returns `nil` when another process applied it meanwhile.
    private func apply(_ migration: Migration) throws -> MigrationRunResult.Step? {
        logger.info("applying migration", metadata: ["set": "\(set.name)", "version": "\(migration.version)", "name": "\(migration.name)"])
        let clock = ContinuousClock()
        let start = clock.now
        let transactional = runsInTransaction(migration)
        if transactional {
            do {
                let applied = try transaction { () -> Bool in
                    // Re-checked inside the write transaction: on SQLite this is the lock.
                    let report = try status()
                    try Self.checkApplicable(report)
                    guard report.pending.contains(where: { $0.version == migration.version }) else { return false }
                    try setTimeouts(local: true)
                    try run(migration.upStatements, of: migration, from: 0)
                    let milliseconds = Int64((clock.now - start).seconds * 1_000)
                    try history.insert(
                        migration, replacing: migration.kind == .repeatable, state: .applied, statementsDone: migration.upStatements.count,
                        executionMilliseconds: milliseconds)
                    try history.logEvent(version: migration.version, action: "apply", checksum: migration.checksum, detail: nil)
                    return true
                }
                guard applied else { return nil }
            } catch let failure as StatementFailure {
                // The transaction rolled back: nothing of the migration remains. Record the failure.
                try writeTransaction {
                    try history.insert(migration, replacing: migration.kind == .repeatable, state: .failed, statementsDone: 0, error: failure.summary)
                    try history.logEvent(version: migration.version, action: "fail", checksum: migration.checksum, detail: failure.summary)
                }
                throw failure.migrationError(migration)
            }
        } else {
            try history.insert(migration, replacing: migration.kind == .repeatable, state: .inProgress, statementsDone: 0)
            do {
                try setTimeouts(local: false)
                try run(migration.upStatements, of: migration, from: 0) { done in
                    try self.history.updateState(version: migration.version, state: .inProgress, statementsDone: done)
                }
            } catch let failure as StatementFailure {
                try history.updateState(
                    version: migration.version, state: .failed, statementsDone: failure.index, error: failure.summary)
                try history.logEvent(version: migration.version, action: "fail", checksum: migration.checksum, detail: failure.summary)
                throw failure.migrationError(migration)
            }
            let milliseconds = Int64((clock.now - start).seconds * 1_000)
            try history.updateState(
                version: migration.version, state: .applied, statementsDone: migration.upStatements.count,
                executionMilliseconds: milliseconds)
            try history.logEvent(version: migration.version, action: "apply", checksum: migration.checksum, detail: nil)
        }
        let milliseconds = Int64((clock.now - start).seconds * 1_000)
        logger.info("applied migration", metadata: ["version": "\(migration.version)", "ms": "\(milliseconds)"])
        return MigrationRunResult.Step(version: migration.version, name: migration.name, milliseconds: milliseconds)
    }

    /// Runs `statements` from index `first`, reporting progress after each.
    func run(
        _ statements: [String], of migration: Migration, from first: Int, progress: ((Int) throws -> Void)? = nil
    ) throws {
        for index in first..<statements.count {
            do {
                try connection.execute(statements[index], [])
            } catch let error as DatabaseError {
                throw StatementFailure(index: index, count: statements.count, statement: statements[index], error: error)
            }
            try progress?(index + 1)
        }
    }

    /// Applies the DDL lock timeout and statement timeout to the migration's transaction or session.
    func setTimeouts(local: Bool) throws {
        switch connection.backend {
        case .postgresql where !local && connection.isRelayed:
            // Behind a transaction pooler a session setting would not last to the next
            // statement, and would stay with a server session other clients then get.
            logger.warning("the connection is relayed (a pooler or proxy): a migration outside a transaction runs without its lock and statement timeouts")
        case .postgresql:
            _ = try connection.query(
                SQL.Migrations.SetTimeouts(
                    lockTimeout: .text(Self.milliseconds(options.ddlLockTimeout)), isLocal: .integer(local ? 1 : 0),
                    statementTimeout: .text(Self.milliseconds(options.statementTimeout)), lockWaitSeconds: .null))
        case .mysql:
            if let timeout = options.ddlLockTimeout {
                // MySQL has no statement timeout for DDL: its file uses only the lock wait.
                try connection.execute(
                    SQL.Migrations.SetTimeouts(
                        lockTimeout: .null, isLocal: .null, statementTimeout: .null,
                        lockWaitSeconds: .integer(max(1, Int64(timeout.seconds.rounded(.up))))))
            }
        case .sqlite:
            break  // The busy timeout comes from the URL (busy_timeout).
        }
    }

    private static func milliseconds(_ duration: Duration?) -> String {
        duration.map { String(Int64(($0.seconds * 1_000).rounded(.up))) } ?? "0"
    }
}

/// One statement of a migration failed.
struct StatementFailure: Error {
    let index: Int
    let count: Int
    let statement: String
    let error: DatabaseError

    /// `statement 2 of 3 (CREATE INDEX ...): <error>` — what the history records.
    var summary: String {
        let firstLine = statement.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") } ?? ""
        let excerpt = firstLine.count > 80 ? firstLine.prefix(77) + "..." : firstLine
        return "statement \(index + 1) of \(count) (\(excerpt.trimmingCharacters(in: .whitespaces))): \(error)"
    }

    func migrationError(_ migration: Migration) -> MigrationError {
        MigrationError(.failed, "migration \(migration.version) \(migration.name) failed at \(summary)", underlying: error)
    }
}
