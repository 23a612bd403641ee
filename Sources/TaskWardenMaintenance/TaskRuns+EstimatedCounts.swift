import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// How many runs a big table holds, by status value, without reading it all: the database's
/// estimates where it keeps them, else counts that stop at a cap.
public struct EstimatedCounts: Sendable {
    /// A figure and how far it can be trusted.
    public struct Figure: Sendable, Hashable {
        public let rows: Int
        /// The database's estimate (PostgreSQL `pg_class.reltuples` or `pg_stats`, MySQL
        /// `information_schema.TABLE_ROWS` or the optimizer's), not a count.
        public let estimated: Bool
        /// A count that stopped at its cap: at least ``rows``.
        public let atLeast: Bool

        public init(rows: Int, estimated: Bool, atLeast: Bool) {
            self.rows = rows
            self.estimated = estimated
            self.atLeast = atLeast
        }
    }

    /// The table's rows.
    public let total: Figure
    /// By the table's status value (as text), for every value the mapping names.
    public let byStatus: [(value: String, figure: Figure)]
}

extension TaskRuns {
    /// Estimated counts when the table holds more than `limit` rows by the database's own
    /// estimate; `nil` when it is smaller (exact counts are cheap then) or has no estimate yet.
    ///
    /// The total is PostgreSQL's `pg_class.reltuples` or MySQL's `TABLE_ROWS`
    /// (`sql/purge/estimated_rows.sql`); SQLite keeps none outside ANALYZE, so there a count that
    /// stops past `limit` (`sql/runs/count_capped.sql`) says only "more than `limit`". Each status
    /// value is PostgreSQL's `pg_stats` estimate when the value is among the column's most common
    /// (`sql/runs/estimated_status_counts.sql`), or MySQL's optimizer's estimate of the value's
    /// range in the status index when it reaches `cap` (`sql/runs/estimated_status_count.sql`),
    /// else a count through the status index that stops at `cap`
    /// (`sql/runs/status_count_capped.sql`): exact for the rare values (running, queued) that
    /// matter most, a lower bound (SQLite) or an estimate for the common ones.
    public func estimatedCounts(exactUpTo limit: Int, cap: Int) throws -> EstimatedCounts? {
        let total: EstimatedCounts.Figure
        if dialect.backend == .sqlite {
            let counted = try connection.query(SQL.Runs.CountCapped(cap: .integer(Int64(limit + 1))), names: names()).first?.decode(Int.self, .n) ?? 0
            guard counted > limit else { return nil }
            total = .init(rows: limit, estimated: false, atLeast: true)
        } else {
            guard let estimate = try estimatedRowCount(), estimate > limit else { return nil }
            total = .init(rows: estimate, estimated: true, atLeast: false)
        }
        var common: [String: Int] = [:]
        if dialect.backend == .postgresql {
            let statement = SQL.Runs.EstimatedStatusCounts(
                columnName: .text(table.columns[.status]?.name ?? "status"), quotedTableName: .text(dialect.quote(table.name)))
            for row in try connection.query(statement, names: names()) {
                common[try row.decode(String.self, .status)] = try row.decode(Int.self, .n)
            }
        }
        var byStatus: [(value: String, figure: EstimatedCounts.Figure)] = []
        for value in TaskStatus.allCases.filter({ !table.lacks($0) }).flatMap(table.values) {
            let text = value.plainText
            if let estimate = common[text] {
                byStatus.append((text, .init(rows: estimate, estimated: true, atLeast: false)))
                continue
            }
            if let estimate = try optimizerEstimate(of: value), estimate >= cap {
                byStatus.append((text, .init(rows: estimate, estimated: true, atLeast: false)))
                continue
            }
            let counted = try connection.query(SQL.Runs.StatusCountCapped(status: value, cap: .integer(Int64(cap))), names: names())
                .first?.decode(Int.self, .n) ?? 0
            byStatus.append((text, .init(rows: counted, estimated: false, atLeast: counted >= cap)))
        }
        return EstimatedCounts(total: total, byStatus: byStatus)
    }

    /// MySQL's and MariaDB's estimate of the runs with status `value` (the plan's `rows`, from an
    /// index dive into the status index); `nil` on other backends.
    private func optimizerEstimate(of value: DatabaseValue) throws -> Int? {
        guard dialect.backend == .mysql else { return nil }
        return try connection.query(SQL.Runs.EstimatedStatusCount(status: value), names: names()).first.flatMap { row in
            try row.raw.decode(Int?.self, "rows")
        }
    }
}
