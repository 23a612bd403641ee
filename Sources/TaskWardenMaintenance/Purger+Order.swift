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

    /// Where the primary-key walk stands: after which id the next range starts, and how many
    /// rows (purgeable or not) it spans.
    struct IdCursor {
        var after: DatabaseValue?
        var span: Int
        /// At most this many rows per range, however few of them are purgeable: a range's
        /// statements read every row in it, and a batch must stay short.
        let maxSpan: Int
        let batchSize: Int

        /// - Parameter rowLimit: a hard cap on `span` (a Galera write-set limit): a range of
        ///   that many rows deletes at most that many.
        init(batchSize: Int, rowLimit: Int? = nil) {
            self.batchSize = batchSize
            span = min(batchSize * 2, rowLimit ?? .max)
            maxSpan = min(batchSize * 8, rowLimit ?? .max)
        }

        /// Sizes the next range for about a batch of purgeable rows, from the density of the last.
        mutating func adapt(deleted: Int) {
            let density = Double(deleted) / Double(span)
            let wanted = density > 0 ? Double(batchSize) / density : Double(maxSpan)
            span = min(maxSpan, max(min(batchSize, maxSpan), Int(wanted)))
        }
    }

    /// ``PurgeOrder/primaryKey``: one batch, the id range of the cursor's next `span` rows:
    /// each arm's purgeable rows in it are deleted (exported and archived first, in the same
    /// transaction). Returns the rows deleted per arm, and `false` once the range reached the
    /// table's end.
    func deleteIdRange(_ filter: PurgeFilter, cursor: inout IdCursor, export: PurgeExport?) throws -> (deleted: [Int], more: Bool) {
        let arms = filter.arms.indices
        let boundary = try connection.query(filter.nextIdBoundary(after: cursor.after, rows: cursor.span), names: names).first
        let range = PurgeFilter.IdRange(after: cursor.after, until: boundary?.id)
        var archiveNames = names
        if let archive = options.archiveTable { archiveNames["archive"] = archive }
        let copies = export != nil || options.archiveTable != nil
        // Several statuses and nothing to copy: one statement reads the range once, where the
        // dialect has it (measured on PostgreSQL, scattered layout, 2 M rows: see benchmarks.md).
        if !copies, arms.count > 1, SQL.Purge.DeleteIdRangeArms.backends.contains(connection.backend) {
            let deleted = try inOneTransaction(if: false) { connection in
                var deleted = [Int](repeating: 0, count: arms.count)
                for row in try connection.query(filter.deleteIdRangeArms(range), names: names) {
                    let status = try row.decode(String.self, .status)
                    if let arm = arms.first(where: { filter.arms[$0].status == .text(status) }) { deleted[arm] = try row.decode(Int.self, .n) }
                }
                return deleted
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
}
