import Foundation
import TaskWardenCore
import TaskWardenSQL

extension TaskRuns {
    /// Deletes finished runs past their retention, in batches that each commit on their own.
    ///
    /// Each (status value, kind rule) is walked in `(finished_at, id)` order: a batch ends at
    /// the key `batchSize - 1` rows after the previous batch's last key, and deletes that key
    /// range through the `(status, finished_at, id)` index. Batches never re-read what earlier
    /// batches deleted, so the purge does not slow down as it advances, and no batch holds
    /// locks for long. Queued and running runs are never touched: only the table's values for
    /// succeeded, failed and cancelled are purged.
    ///
    /// - Parameters:
    ///   - progress: called after each batch.
    ///   - shouldStop: asked between batches; `true` stops cleanly (a signal, say).
    public func purge(
        _ options: PurgeOptions, progress: ((PurgeProgress) -> Void)? = nil, shouldStop: () -> Bool = { false }
    ) throws -> PurgeSummary {
        guard table.has(.finishedAt) else {
            throw TaskTableError("purging needs the 'finished_at' column, which table \(table.name) does not map")
        }
        guard !options.retention.isEmpty else {
            throw TaskTableError("no retention given: pass --succeeded-older-than / --failed-older-than / --cancelled-older-than, or set retention in the configuration")
        }
        guard options.batchSize >= 1 else { throw TaskTableError("the batch size must be at least 1") }
        if (options.kind != nil || !options.retention.kinds.isEmpty) && !table.has(.kind) {
            throw TaskTableError("table \(table.name) maps no 'kind' column, so retention cannot be per kind")
        }
        let now = try DatabaseClock.now(on: connection)
        var summary = PurgeSummary(dryRun: options.dryRun)
        let passes = plan(options)

        if options.dryRun {
            for pass in passes {
                for row in try connection.query(try purgeTemplate("purge/count", pass: pass), purgeValues(pass, now: now), lists: purgeLists(pass)) {
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
        passLoop: for var pass in passes {
            var after: (finishedAt: DatabaseValue, id: DatabaseValue)?
            // Shaped once per pass: the first batch's statement, and every later batch's.
            let singleStatement = try hasSingleStatementBatch
                ? (first: purgeTemplate("purge/delete_batch", pass: pass), next: purgeTemplate("purge/delete_batch", pass: pass, flags: ["after"]))
                : nil
            while true {
                if shouldStop() {
                    summary.stoppedEarly = "stop requested"
                    summary.passes.append(pass)
                    break passLoop
                }
                if let maxDuration = options.maxDuration, clock.now - start >= maxDuration {
                    summary.stoppedEarly = "max duration"
                    summary.passes.append(pass)
                    break passLoop
                }
                let batchStart = clock.now
                var values = purgeValues(pass, now: now)
                var flags: Set<String> = []
                if let after {
                    flags.insert("after")
                    values["after_finished_at"] = after.finishedAt
                    values["after_id"] = after.id
                }
                if export == nil, options.archiveTable == nil, let singleStatement {
                    // Where the dialect can select, delete and report a batch in one statement.
                    values["limit"] = .integer(Int64(options.batchSize))
                    let last = try connection.query(after == nil ? singleStatement.first : singleStatement.next, values, lists: purgeLists(pass)).first
                    let deleted = try last?.decode(Int.self, "n") ?? 0
                    if deleted > 0 {
                        record(&pass, deleted: deleted, took: clock.now - batchStart, &rowsSoFar)
                        progress?(PurgeProgress(pass: pass, rowsSoFar: rowsSoFar, elapsed: clock.now - start))
                    }
                    guard let last, try last.decode(Int.self, "selected") == options.batchSize else { break }
                    after = (last["finished_at"] ?? .null, last["id"] ?? .null)
                    if options.pause > .zero { Thread.sleep(forTimeInterval: options.pause.seconds) }
                    continue
                }
                values["offset"] = .integer(Int64(options.batchSize - 1))
                let boundary = try connection.query(try purgeTemplate("purge/next_boundary", pass: pass, flags: flags), values, lists: purgeLists(pass)).first
                if let boundary {
                    flags.insert("until")
                    values["until_finished_at"] = boundary["finished_at"] ?? .null
                    values["until_id"] = boundary["id"] ?? .null
                }
                let deleted = try connection.inTransaction { _ -> Int in
                    if let export {
                        let rows = try connection.query(try purgeTemplate("purge/select_range", pass: pass, flags: flags), values, lists: purgeLists(pass))
                        guard !rows.isEmpty else { return 0 }
                        try export.write(rows)
                    }
                    if let archive = options.archiveTable {
                        try connection.execute(try purgeTemplate("purge/archive_range", pass: pass, flags: flags, archive: archive), values, lists: purgeLists(pass))
                    }
                    return try connection.execute(try purgeTemplate("purge/delete_range", pass: pass, flags: flags), values, lists: purgeLists(pass))
                }
                try export?.commit()
                if deleted > 0 {
                    record(&pass, deleted: deleted, took: clock.now - batchStart, &rowsSoFar)
                    progress?(PurgeProgress(pass: pass, rowsSoFar: rowsSoFar, elapsed: clock.now - start))
                }
                guard let boundary else { break }
                after = (boundary["finished_at"] ?? .null, boundary["id"] ?? .null)
                if options.pause > .zero { Thread.sleep(forTimeInterval: options.pause.seconds) }
            }
            summary.passes.append(pass)
        }
        return summary
    }

    /// Whether this dialect has `purge/delete_batch.sql`: one statement per batch.
    private var hasSingleStatementBatch: Bool {
        EmbeddedSQL.text(at: "sql/\(dialect.directoryName)/purge/delete_batch.sql") != nil
    }

    private func record(_ pass: inout PurgeSummary.Pass, deleted: Int, took: Duration, _ rowsSoFar: inout Int) {
        pass.rows += deleted
        pass.batches += 1
        pass.duration += took
        pass.longestBatch = max(pass.longestBatch, took)
        rowsSoFar += deleted
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

    private func purgeTemplate(
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

    private func purgeValues(_ pass: PurgeSummary.Pass, now: Timestamp) -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [
            "status": .text(pass.value), "cutoff": table.timeFormat.encode(now.adding(seconds: -pass.retention.seconds)),
        ]
        if let kind = pass.kind { values["kind"] = .text(kind) }
        return values
    }

    private func purgeLists(_ pass: PurgeSummary.Pass) -> [String: [DatabaseValue]] {
        ["except_kinds": pass.exceptKinds.map(DatabaseValue.text)]
    }
}
