import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// The choice of a walk's ``PurgeOrder``, and the batches of the primary-key walk.
extension Purger {
    /// The order for the walk `filter` describes: the caller's (``PurgeOptions/order``), else
    /// ``PurgeOrderDecision/choose(_:)`` on what the database knows: the table's estimated rows,
    /// the walk's purgeable rows counted up to the "many" threshold from the index, and how
    /// closely finish order follows table order (PostgreSQL's `pg_stats.correlation`, else the
    /// ids of the first purgeable rows in finish order). A few index reads, whatever the
    /// table's size.
    func chooseOrder(_ filter: PurgeFilter) throws -> PurgeOrderDecision {
        if let order = options.order { return PurgeOrderDecision(order: order, reason: .forced, statistics: nil) }
        return PurgeOrderDecision.choose(try statistics(filter))
    }

    func statistics(_ filter: PurgeFilter) throws -> PurgeOrderStatistics {
        let finishedAt = names["finished_at"]?.name ?? "finished_at"
        let estimate = try connection.query(
            SQL.Purge.EstimatedRows(
                columnName: .text(finishedAt), quotedTableName: .text(connection.dialect.quote(table.name)), tableName: .text(table.name.name)),
            names: names
        ).first
        let estimatedRows = max(0, try estimate?.decode(Int?.self, .n) ?? 0)
        let many = PurgeOrderDecision.manyThreshold(estimatedRows: estimatedRows, batchSize: options.batchSize)
        var purgeable = 0
        for arm in filter.arms.indices where purgeable < many {
            purgeable += try connection.query(filter.countCapped(arm: arm, cap: many - purgeable), names: names).first?.decode(Int.self, .n) ?? 0
        }
        var statistics = PurgeOrderStatistics(
            estimatedRows: estimatedRows, purgeableRows: purgeable, manyRows: many, finishCorrelation: nil, correlationSource: nil)
        guard purgeable >= many else { return statistics }
        if let correlation = try estimate?.decode(Double?.self, .correlation) {
            statistics.finishCorrelation = correlation
            statistics.correlationSource = .statistics
        } else {
            let ids = try connection.query(filter.sampleFinishOrder(arm: 0, limit: PurgeOrderDecision.sampleSize), names: names).map(\.id)
            statistics.finishCorrelation = PurgeOrderDecision.rankCorrelation(ids)
            statistics.correlationSource = statistics.finishCorrelation == nil ? nil : .sample
        }
        return statistics
    }

    /// Where the primary-key walk stands: after which id the next range starts, how many rows
    /// (purgeable or not) it spans, and how many purgeable rows it may hold.
    struct IdCursor {
        var after: DatabaseValue?
        var span: Int
        /// At most this many purgeable rows per batch: the batch size, or fewer where the batch's
        /// write transaction would otherwise outlast ``transactionTarget`` (SQLite, whose
        /// batches read their ids first and can stop a range at any row).
        var limit: Int
        /// The block walk's position, where batches go by the table's blocks (PostgreSQL:
        /// ``Purger/blockWalk(copying:)``); `nil` where they go by id ranges.
        var blocks: BlockWalk?
        /// At most this many rows per range, however few of them are purgeable: a range's
        /// statements read every row in it, and a batch must stay short.
        let maxSpan: Int
        let batchSize: Int

        /// How long a batch's write transaction should hold SQLite's one write lock, commit
        /// included: about half of the 100 ms a worker's write may wait at the 99th percentile
        /// (issue 13), the other half left for its own write and sync. Scattered over a table
        /// of 10 M rows, a row costs a page in each index it is in, and 5 000 of them held the
        /// lock for 150-270 ms; the next batch is sized from how long the last one took.
        static let transactionTarget: Duration = .milliseconds(50)

        /// - Parameters:
        ///   - rowLimit: a hard cap on `span` (a Galera write-set limit): a range of that many
        ///     rows deletes at most that many.
        ///   - timed: the batches are sized by time too (``adapt(rows:took:)``): the first holds a
        ///     quarter of the batch size, and the next grow from there while they stay short, so
        ///     that not even the first holds the write lock long on a table where rows cost much.
        init(batchSize: Int, rowLimit: Int? = nil, timed: Bool = false) {
            self.batchSize = batchSize
            limit = batchSize
            span = min(batchSize * 2, rowLimit ?? .max)
            maxSpan = min(batchSize * 8, rowLimit ?? .max)
            if timed {
                limit = max(minimumLimit, batchSize / 4)
                span = min(limit * 2, maxSpan)
            }
        }

        /// The fewest purgeable rows a batch is sized down to: below a tenth of the batch size,
        /// what every write transaction costs whatever its size (a commit's sync, the page
        /// cache refilled after another connection's write) would cost more than the rows.
        var minimumLimit: Int { max(1, batchSize / 10) }

        /// Sizes the next range for about `limit` purgeable rows, from the density of the last
        /// (`purgeable` of its `rows`).
        mutating func adapt(purgeable: Int, of rows: Int) {
            let density = rows > 0 ? Double(purgeable) / Double(rows) : 0
            let wanted = density > 0 ? Double(limit) / density : Double(maxSpan)
            span = min(maxSpan, max(min(limit, maxSpan), Int(wanted)))
        }

        /// Sizes the next range for about a batch of purgeable rows, from the density of the last.
        mutating func adapt(deleted: Int) { adapt(purgeable: deleted, of: span) }

        /// Sizes the next batch's purgeable rows for a write transaction of about
        /// ``transactionTarget``, from the last one, which deleted `rows` rows in `took`: down
        /// when it took longer (to ``minimumLimit`` at least), up to twice as many (and to the
        /// batch size at most) after a full batch that took less.
        mutating func adapt(rows: Int, took: Duration) {
            guard rows > 0, took > .zero else { return }
            let fitted = Int(Double(rows) * (Self.transactionTarget / took))
            if took > Self.transactionTarget {
                limit = max(minimumLimit, min(limit, fitted))
            } else if rows >= limit {
                limit = min(batchSize, max(limit, min(2 * limit, fitted)))
            }
        }
    }

    /// ``PurgeOrder/primaryKey``: one batch, the id range of the cursor's next `span` rows:
    /// each arm's purgeable rows in it are deleted (exported and archived first, in the same
    /// transaction). Without rows to copy, the batch reads its ids first instead on SQLite
    /// (``deleteIdBatch(_:cursor:)``), and goes by blocks on PostgreSQL
    /// (``deleteBlockRange(_:cursor:walk:)``). Returns the rows deleted per arm, and `false` once the
    /// range reached the table's end.
    func deleteIdRange(_ filter: PurgeFilter, cursor: inout IdCursor, export: PurgeExport?) throws -> (deleted: [Int], more: Bool) {
        let arms = filter.arms.indices
        let copies = export != nil || options.archiveTable != nil
        if readsIdsFirst(copying: copies) { return try deleteIdBatch(filter, cursor: &cursor) }
        if let walk = cursor.blocks { return try deleteBlockRange(filter, cursor: &cursor, walk: walk) }
        let boundary = try connection.query(filter.nextIdBoundary(after: cursor.after, rows: cursor.span), names: names).first
        let range = PurgeFilter.IdRange(after: cursor.after, until: boundary?.id)
        var archiveNames = names
        if let archive = options.archiveTable { archiveNames["archive"] = archive }
        // Several statuses and nothing to copy: one statement reads the range once, where the
        // dialect has it (measured on PostgreSQL, scattered layout, 2 M rows: see benchmarks.md).
        if !copies, arms.count > 1, SQL.Purge.DeleteIdRangeArms.backends.contains(connection.backend) {
            let deleted = try inOneTransaction(if: false) { connection in
                try armCounts(connection.query(filter.deleteIdRangeArms(range), names: names), filter)
            }
            cursor.adapt(deleted: deleted.reduce(0, +))
            cursor.after = boundary?.id
            return (deleted, boundary != nil)
        }
        let deleted = try inOneTransaction(if: copies || arms.count > 1) { connection -> [Int] in
            if let export {
                var rows: [Row] = []
                for arm in arms { rows += try connection.query(filter.selectIdRange(arm: arm, range), names: names).map(\.raw) }
                guard !rows.isEmpty else { return [] }
                try export.write(rows)
            }
            var deleted = [Int](repeating: 0, count: arms.count)
            for arm in arms {
                if options.archiveTable != nil { try connection.execute(filter.archiveIdRange(arm: arm, range), names: archiveNames) }
                deleted[arm] = try connection.execute(filter.deleteIdRange(arm: arm, range), names: names)
            }
            return deleted
        }
        try export?.commit()
        cursor.adapt(deleted: deleted.reduce(0, +))
        cursor.after = boundary?.id
        return (deleted, boundary != nil)
    }

    /// Whether the primary-key walk's batches read their ids before their write transaction
    /// (``deleteIdBatch(_:cursor:)``): on SQLite, when no rows are copied.
    func readsIdsFirst(copying: Bool) -> Bool {
        !copying && SQL.Purge.SelectIdBatch.backends.contains(connection.backend)
    }

    /// ``PurgeOrder/primaryKey`` on SQLite without rows to copy: reads the batch's ids, then
    /// deletes them in one short write transaction. Returns the rows deleted per arm, and
    /// `false` once the range reached the table's end.
    ///
    /// SQLite has one writer at a time, so a worker's write waits for the whole of a batch's
    /// write transaction. `select_id_batch.sql` reads the range before it, by a plain read, and
    /// cuts it after ``IdCursor/limit`` purgeable rows; `delete_ids.sql` then looks those up by
    /// rowid and checks status, age and kind again, so that a run requeued in between stays.
    func deleteIdBatch(_ filter: PurgeFilter, cursor: inout IdCursor) throws -> (deleted: [Int], more: Bool) {
        let rows = try connection.query(filter.selectIdBatch(after: cursor.after, rows: cursor.span, limit: cursor.limit), names: names)
        guard let range = rows.first, range.id != .null else { return ([], false) }
        let more = try range.decode(Bool.self, .more)
        let purgeable = try rows.dropFirst().map { row in
            (arm: try row.decode(Int.self, .arm) - 1, ids: row.ids, count: try row.decode(Int.self, .n))
        }
        let found = purgeable.reduce(0) { $0 + $1.count }
        var deleted = [Int](repeating: 0, count: filter.arms.count)
        if !purgeable.isEmpty {
            let write = try timedTransaction(if: purgeable.count > 1) { try deleteIds(purgeable.map { ($0.arm, $0.ids) }, filter, on: $0) }
            deleted = write.deleted
            cursor.adapt(rows: found, took: write.took)
        }
        cursor.adapt(purgeable: found, of: try range.decode(Int.self, .n))
        cursor.after = range.id
        return (deleted, more)
    }

    /// Rows deleted per arm, from a statement's rows of `status` and `n`.
    func armCounts(_ rows: [some SQLResultRow], _ filter: PurgeFilter) throws -> [Int] {
        var deleted = [Int](repeating: 0, count: filter.arms.count)
        for row in rows {
            let status = try row.raw.decode(String.self, "status")
            if let arm = filter.arms.indices.first(where: { filter.arms[$0].status == .text(status) }) { deleted[arm] = try row.raw.decode(Int.self, "n") }
        }
        return deleted
    }
}
