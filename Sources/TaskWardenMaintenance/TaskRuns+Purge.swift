import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension TaskRuns {
    /// Deletes finished runs past their retention, in batches that each commit on their own.
    ///
    /// Each kind rule is walked in `(finished_at, id)` order, its statuses together (see
    /// `Walk`): each batch starts after the previous batch's last key, so batches never re-read
    /// what earlier ones deleted, the purge does not slow down as it advances, and no batch
    /// holds locks for long. How a batch is deleted is the dialect's faster form (see
    /// `BatchMethod`): keys then ids, or a key range. Queued and running runs are never touched:
    /// only the table's values for succeeded, failed and cancelled are purged.
    ///
    /// - Parameters:
    ///   - progress: called after each batch.
    ///   - shouldStop: asked between batches; `true` stops cleanly (a signal, say).
    public func purge(
        _ options: PurgeOptions, progress: ((PurgeProgress) -> Void)? = nil, shouldStop: () -> Bool = { false }
    ) throws -> PurgeSummary {
        try checkPurge(options)
        let now = try DatabaseClock.now(on: connection)
        var summary = PurgeSummary(dryRun: options.dryRun)
        let passes = plan(options)
        // Every cutoff is checked before the first batch, so a bad one changes nothing.
        for pass in passes { _ = try now.cutoff(olderThan: pass.retention) }

        if options.dryRun {
            for pass in passes {
                let walk = Walk(passes: [pass])
                var statements = WalkStatements(runs: self, walk: walk)
                let values = Walk.values(try purgeValues(walk, now: now), arm: 0)
                for row in try connection.query(try statements("purge/count"), values, lists: statements.lists) {
                    let rows = try row.decode(Int.self, "n")
                    if rows > 0 { summary.wouldDelete.append((pass.value, try row.decode(String?.self, "kind"), rows)) }
                }
            }
            return summary
        }

        try connection.execute(EmbeddedSQL.template("purge/session", for: dialect).source, [])
        if let archive = options.archiveTable {
            try connection.execute(try purgeTemplate("purge/create_archive", archive: archive), [:])
        }
        let export = try options.exportPath.map(PurgeExport.init(path:))
        try export?.recover { ids in
            try connection.query(try purgeTemplate("purge/count_ids"), [:], lists: ["ids": ids]).first?.decode(Int.self, "n") ?? 0
        }

        let clock = ContinuousClock()
        let start = clock.now
        var rowsSoFar = 0
        let method = export == nil && options.archiveTable == nil ? batchMethod : .keyRange
        walkLoop: for var walk in Walk.group(passes) {
            var statements = WalkStatements(runs: self, walk: walk)
            var after: PurgeKey?
            while true {
                if shouldStop() {
                    summary.stoppedEarly = "stop requested"
                    summary.passes += walk.passes
                    break walkLoop
                }
                if let maxDuration = options.maxDuration, clock.now - start >= maxDuration {
                    summary.stoppedEarly = "max duration"
                    summary.passes += walk.passes
                    break walkLoop
                }
                let batchStart = clock.now
                var values = try purgeValues(walk, now: now)
                if let after {
                    values["after_finished_at"] = after.finishedAt
                    values["after_id"] = after.id
                }
                let batch: (deleted: [Int], next: PurgeKey?)
                switch method {
                case .keysThenIDs:
                    batch = try deleteByIDs(&statements, values, batchSize: options.batchSize, after: after != nil)
                case .keyRange:
                    batch = try deleteKeyRange(
                        &statements, values, batchSize: options.batchSize, after: after != nil, export: export, archive: options.archiveTable)
                }
                let deleted = batch.deleted.reduce(0, +)
                if deleted > 0 {
                    walk.record(batch.deleted, took: clock.now - batchStart)
                    rowsSoFar += deleted
                    progress?(PurgeProgress(passes: walk.passes, rowsSoFar: rowsSoFar, elapsed: clock.now - start))
                }
                guard let next = batch.next else { break }
                after = next
                if options.pause > .zero { Thread.sleep(forTimeInterval: options.pause.seconds) }
            }
            summary.passes += walk.passes
        }
        return summary
    }

    /// The checks of a purge, for its real and its dry run alike: a dry run fails exactly where
    /// the real run would.
    func checkPurge(_ options: PurgeOptions) throws {
        guard table.has(.finishedAt) else {
            throw MaintenanceError(.unmappedColumns([.finishedAt], table: table.name.description, purpose: .purging))
        }
        guard !options.retention.isEmpty else {
            throw MaintenanceError(.noRetention)
        }
        guard options.batchSize >= 1 else { throw MaintenanceError(.batchSizeTooSmall(options.batchSize)) }
        if (options.kind != nil || !options.retention.kinds.isEmpty) && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        if let path = options.exportPath {
            // The real run creates or appends to the file; its folder must let it.
            let folder = (path as NSString).deletingLastPathComponent
            let existing = FileManager.default.fileExists(atPath: path)
            guard existing ? FileManager.default.isWritableFile(atPath: path) : FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                throw PurgeExportError(path: path, action: existing ? .open : .create, cause: String(cString: strerror(EACCES)))
            }
        }
    }

    /// The last key of a batch, where the next one starts.
    private typealias PurgeKey = (finishedAt: DatabaseValue, id: DatabaseValue)

    /// The key in a row with `finished_at` and `id` columns.
    private static func key(of row: Row) -> PurgeKey { (row["finished_at"] ?? .null, row["id"] ?? .null) }

    /// The passes purged together: those of one kind rule, at most one value per status.
    ///
    /// A table's runs finish in time order whatever their status, so succeeded and failed runs
    /// of the same hour share table pages. Walking each status on its own changes every such
    /// page once per status, each time in a different batch; walking them together, in one
    /// `(finished_at, id)` order merged from each status's index range, changes it once
    /// (measured on PostgreSQL, 2 M rows: 15 % less server time). Each status keeps its own
    /// cutoff, and its own arm in the SQL (`arm1`...`arm3`, parameters `:status_N`, `:cutoff_N`).
    private struct Walk {
        /// Arm N is `passes[N - 1]`.
        var passes: [PurgeSummary.Pass]

        /// The passes in walks, in plan order: a pass joins the first walk of its kind rule
        /// that has no pass of its status yet (a status mapped to several values takes
        /// several walks).
        static func group(_ passes: [PurgeSummary.Pass]) -> [Walk] {
            var walks: [Walk] = []
            for pass in passes {
                if let index = walks.firstIndex(where: { walk in
                    walk.passes[0].kind == pass.kind && walk.passes[0].exceptKinds == pass.exceptKinds
                        && !walk.passes.contains { $0.status == pass.status }
                }) {
                    walks[index].passes.append(pass)
                } else {
                    walks.append(Walk(passes: [pass]))
                }
            }
            return walks
        }

        /// The walk's `values` plus arm `index`'s status and cutoff under the names the
        /// per-status statements use (`:status`, `:cutoff`).
        static func values(_ values: [String: DatabaseValue], arm index: Int) -> [String: DatabaseValue] {
            var values = values
            values["status"] = values["status_\(index + 1)"] ?? .null
            values["cutoff"] = values["cutoff_\(index + 1)"] ?? .null
            return values
        }

        /// Counts a batch that deleted `deleted[N]` rows of arm N, its time shared by rows.
        ///
        /// A pass's longest batch is its share of that batch, measured like its duration, so
        /// it is never longer than the pass it is part of.
        mutating func record(_ deleted: [Int], took: Duration) {
            let total = deleted.reduce(0, +)
            for (index, rows) in deleted.enumerated() where rows > 0 {
                let share = took * (Double(rows) / Double(total))
                passes[index].rows += rows
                passes[index].batches += 1
                passes[index].duration += share
                passes[index].longestBatch = max(passes[index].longestBatch, share)
            }
        }
    }

    /// How a batch is found and deleted: the faster form where the dialect's SQL provides one.
    ///
    /// PostgreSQL and MySQL delete a key range through the index fastest (measured on 2 M
    /// rows: on PostgreSQL, 40 % less server time than selecting row ids and deleting by TID;
    /// one statement that finds the boundary and deletes up to it is planned as a sequential
    /// scan, since the planner cannot see the boundary).
    /// SQLite deletes by rowid three to four times faster than through an index, so there the
    /// batch's keys are read first and the rows deleted by id.
    private enum BatchMethod {
        /// `select_batch.sql` reads the batch's ids and last key, then `delete_ids.sql`
        /// deletes each arm's ids (SQLite).
        case keysThenIDs
        /// `next_boundary.sql` finds the batch's last key, then `delete_range.sql` deletes
        /// each arm's range (exported and archived first, in the same transaction). Every
        /// dialect has it; archive and export always use it.
        case keyRange
    }

    private var batchMethod: BatchMethod {
        func has(_ name: String) -> Bool { EmbeddedSQL.statementText("purge/\(name)", for: dialect) != nil }
        if has("select_batch") && has("delete_ids") { return .keysThenIDs }
        return .keyRange
    }

    /// The statements of one walk, each shaped once per set of flags rather than per batch.
    private struct WalkStatements {
        let runs: TaskRuns
        let walk: Walk
        private var shaped: [String: SQLTemplate] = [:]

        init(runs: TaskRuns, walk: Walk) {
            self.runs = runs
            self.walk = walk
        }

        mutating func callAsFunction(_ name: String, _ flags: Set<String> = [], archive: SQLIdentifier? = nil) throws -> SQLTemplate {
            let key = ([name] + flags.sorted()).joined(separator: " ")
            if let template = shaped[key] { return template }
            let arms = Set((1..<walk.passes.count).map { "arm\($0 + 1)" })
            let template = try runs.purgeTemplate(name, pass: walk.passes[0], flags: flags.union(arms), archive: archive)
            shaped[key] = template
            return template
        }

        /// The walk's list parameters: the kinds a catch-all walk leaves to their own rules.
        var lists: [String: [DatabaseValue]] { ["except_kinds": walk.passes[0].exceptKinds.map(DatabaseValue.text)] }
    }

    private func deleteByIDs(
        _ statements: inout WalkStatements, _ values: [String: DatabaseValue], batchSize: Int, after: Bool
    ) throws -> (deleted: [Int], next: PurgeKey?) {
        let arms = statements.walk.passes.indices
        var values = values
        values["limit"] = .integer(Int64(batchSize))
        guard let batch = try connection.query(try statements("purge/select_batch", after ? ["after"] : []), values, lists: statements.lists).first
        else { return ([], nil) }
        let selected = try batch.decode(Int.self, "n")
        guard selected > 0 else { return ([], nil) }
        let delete = try statements("purge/delete_ids")
        let lists = statements.lists
        let filled = try arms.filter { try batch.decode(String?.self, "ids_\($0 + 1)") ?? "[]" != "[]" }
        let deleted = try inOneTransaction(if: filled.count > 1) { connection in
            var deleted = [Int](repeating: 0, count: arms.count)
            for arm in filled {
                var armValues = Walk.values(values, arm: arm)
                armValues["ids_json"] = batch["ids_\(arm + 1)"] ?? .null
                deleted[arm] = try connection.execute(delete, armValues, lists: lists)
            }
            return deleted
        }
        return (deleted, selected == batchSize ? Self.key(of: batch) : nil)
    }

    private func deleteKeyRange(
        _ statements: inout WalkStatements, _ values: [String: DatabaseValue], batchSize: Int, after: Bool,
        export: PurgeExport?, archive: SQLIdentifier?
    ) throws -> (deleted: [Int], next: PurgeKey?) {
        let arms = statements.walk.passes.indices
        var values = values
        var flags: Set<String> = after ? ["after"] : []
        values["limit"] = .integer(Int64(batchSize))
        values["offset"] = .integer(Int64(batchSize - 1))
        let boundary = try connection.query(try statements("purge/next_boundary", flags), values, lists: statements.lists).first
        if let boundary {
            flags.insert("until")
            values["until_finished_at"] = boundary["finished_at"] ?? .null
            values["until_id"] = boundary["id"] ?? .null
        }
        let lists = statements.lists
        let next = boundary.map(Self.key(of:))
        let select = try export.map { _ in try statements("purge/select_range", flags) }
        let copy = try archive.map { try statements("purge/archive_range", flags, archive: $0) }
        let delete = try statements("purge/delete_range", flags)
        let armValues = arms.map { Walk.values(values, arm: $0) }
        let deleted = try inOneTransaction(if: select != nil || copy != nil || arms.count > 1) { connection -> [Int] in
            if let export, let select {
                var rows: [Row] = []
                for arm in arms { rows += try connection.query(select, armValues[arm], lists: lists) }
                guard !rows.isEmpty else { return [] }
                try export.write(rows)
            }
            var deleted = [Int](repeating: 0, count: arms.count)
            for arm in arms {
                if let copy { try connection.execute(copy, armValues[arm], lists: lists) }
                deleted[arm] = try connection.execute(delete, armValues[arm], lists: lists)
            }
            return deleted
        }
        try export?.commit()
        return (deleted, next)
    }

    /// Runs a batch's statements in one transaction when it has several (or a copy to keep
    /// with its delete); one statement commits on its own.
    private func inOneTransaction(if needed: Bool, _ body: (any DatabaseConnection) throws -> [Int]) throws -> [Int] {
        needed ? try connection.inTransaction { try body($0) } : try body(connection)
    }

    /// A pass per (status value, kind rule): kinds with rules of their own first, then the rest.
    private func plan(_ options: PurgeOptions) -> [PurgeSummary.Pass] {
        var passes: [PurgeSummary.Pass] = []
        let ruleKinds = options.kind.map { [$0] } ?? options.retention.kinds.keys.sorted()
        for status in RetentionPolicy.purgeable {
            for value in statuses(of: status) {
                for kind in ruleKinds {
                    if let retention = options.retention.retention(status, kind: kind) {
                        passes.append(.init(status: status, value: value, kind: kind, retention: retention, exceptKinds: []))
                    }
                }
                if options.kind == nil, let retention = options.retention.statuses[status] {
                    passes.append(
                        .init(status: status, value: value, kind: nil, retention: retention, exceptKinds: options.retention.kinds.keys.sorted()))
                }
            }
        }
        return passes
    }

    private func statuses(of status: TaskStatus) -> [String] {
        table.statuses[status] ?? [status.rawValue]
    }

    fileprivate func purgeTemplate(
        _ name: String, pass: PurgeSummary.Pass? = nil, flags: Set<String> = [], archive: SQLIdentifier? = nil
    ) throws -> SQLTemplate {
        var identifiers = table.identifiers
        if let archive { identifiers["archive"] = archive }
        var flags = flags
        if let pass {
            if pass.kind != nil { flags.insert("by_kind") } else if !pass.exceptKinds.isEmpty { flags.insert("except_kinds") }
        }
        return try EmbeddedSQL.template(name, for: dialect).shaped(identifiers: identifiers, flags: flags, for: dialect)
    }

    /// The walk's values: each arm's `:status_N` and `:cutoff_N`, and the kind of a kind rule.
    private func purgeValues(_ walk: Walk, now: Timestamp) throws(TimestampRangeError) -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [:]
        for (index, pass) in walk.passes.enumerated() {
            values["status_\(index + 1)"] = .text(pass.value)
            values["cutoff_\(index + 1)"] = table.timeFormat.encode(try now.cutoff(olderThan: pass.retention))
        }
        if let kind = walk.passes[0].kind { values["kind"] = .text(kind) }
        return values
    }
}
