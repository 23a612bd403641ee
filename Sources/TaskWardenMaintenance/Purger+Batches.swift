import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// One batch of the finish-time walk (``PurgeOrder/finishTime``), found and deleted by each
/// ``PurgeStrategy``.
extension Purger {
    /// ``PurgeStrategy/keyBatches``: reads the batch's ids per arm and its last key, then
    /// deletes each arm's ids (status, age and kind checked again, so a run changed meanwhile
    /// stays).
    func deleteKeyBatch(_ filter: PurgeFilter) throws -> (deleted: [Int], next: PurgeKey?) {
        // One row per arm with rows in the batch: its ids as a JSON array, and the batch's count and last key.
        let batch = try connection.query(filter.selectBatch(batchSize: options.batchSize), names: names)
        guard let first = batch.first else { return ([], nil) }
        let selected = try first.decode(Int.self, .n)
        guard selected > 0 else { return ([], nil) }
        let filled = try batch.map { row in (arm: try row.decode(Int.self, .arm) - 1, ids: row.ids) }
        let deleted = try inOneTransaction(if: filled.count > 1) { try deleteIds(filled, filter, on: $0) }
        return (deleted, selected == options.batchSize ? PurgeKey(finishedAt: first.finishedAt, id: first.id) : nil)
    }

    /// ``PurgeStrategy/rangeWalk``: finds the batch's last key, then deletes each arm's key
    /// range, exported and archived first in the same transaction.
    func deleteRange(_ filter: PurgeFilter, export: PurgeExport?) throws -> (deleted: [Int], next: PurgeKey?) {
        let arms = filter.arms.indices
        var filter = filter
        let boundary = try connection.query(filter.nextBoundary(batchSize: options.batchSize), names: names).first
        let next = boundary.map { PurgeKey(finishedAt: $0.finishedAt, id: $0.id) }
        filter.until = next
        var archiveNames = names
        if let archive = options.archiveTable { archiveNames["archive"] = archive }
        let copies = export != nil || options.archiveTable != nil
        let deleted = try inOneTransaction(if: copies || arms.count > 1) { connection -> [Int] in
            if let export {
                var rows: [Row] = []
                for arm in arms { rows += try connection.query(filter.selectRange(arm: arm), names: names).map(\.raw) }
                guard !rows.isEmpty else { return [] }
                try export.write(rows)
            }
            var deleted = [Int](repeating: 0, count: arms.count)
            for arm in arms {
                if options.archiveTable != nil { try connection.execute(filter.archiveRange(arm: arm), names: archiveNames) }
                deleted[arm] = try connection.execute(filter.deleteRange(arm: arm), names: names)
            }
            return deleted
        }
        try export?.commit()
        return (deleted, next)
    }

    /// Deletes each arm's ids (`delete_ids.sql`: status, age and kind checked again); returns
    /// the rows deleted per arm.
    func deleteIds(_ ids: [(arm: Int, ids: DatabaseValue)], _ filter: PurgeFilter, on connection: any DatabaseConnection) throws -> [Int] {
        var deleted = [Int](repeating: 0, count: filter.arms.count)
        for (arm, ids) in ids {
            deleted[arm] = try connection.execute(filter.deleteIds(arm: arm, ids: ids), names: names)
        }
        return deleted
    }

    /// Runs a batch's statements in one transaction when it has several (or a copy to keep
    /// with its delete), a ``TaskRuns/fence`` to check first, or a commit that need not wait
    /// for the disk (``commitsAsynchronously``); one statement commits on its own otherwise.
    /// On SQLite, the write-ahead log is copied into the database first (``checkpointBeforeWrite()``).
    func inOneTransaction(if needed: Bool, _ body: (any DatabaseConnection) throws -> [Int]) throws -> [Int] {
        try timedTransaction(if: needed, body).deleted
    }

    /// ``inOneTransaction(if:_:)``, and how long the write took, from its first statement to
    /// its commit (on SQLite, after the checkpoint that comes first: ``checkpointBeforeWrite()``).
    func timedTransaction(if needed: Bool, _ body: (any DatabaseConnection) throws -> [Int]) throws -> (deleted: [Int], took: Duration) {
        try checkpointBeforeWrite()
        let clock = ContinuousClock()
        let start = clock.now
        let asynchronous = commitsAsynchronously
        guard needed || runs.fence != nil || asynchronous else {
            let deleted = try body(connection)
            return (deleted, clock.now - start)
        }
        let deleted = try connection.inTransaction { connection in
            if asynchronous { try connection.execute(SQL.Purge.AsynchronousCommit()) }
            try runs.fence?(connection)
            return try body(connection)
        }
        return (deleted, clock.now - start)
    }

    /// Whether a batch's commit returns before its WAL is on disk
    /// (`sql/purge/asynchronous_commit.postgresql.sql`): on PostgreSQL, unless rows go to an
    /// export file. A crash can then bring back the last batches' rows, which are still past
    /// retention and go with the next purge; an exported row must never come back.
    var commitsAsynchronously: Bool {
        options.exportPath == nil && SQL.Purge.AsynchronousCommit.backends.contains(connection.backend)
    }
}
