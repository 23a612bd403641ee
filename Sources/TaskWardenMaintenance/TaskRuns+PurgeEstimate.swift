import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// What a purge with a given retention would free now: rows counted exactly, bytes estimated.
public struct PurgeEstimate: Sendable {
    /// The rows of one status value and kind.
    public struct Part: Sendable, Hashable {
        public let status: String
        /// `nil`: unmapped or NULL kind.
        public let kind: String?
        public let rows: Int
        /// ``rows`` times ``PurgeEstimate/averageRowBytes``; `nil` when that is unknown.
        public let bytes: Int64?
    }

    public let parts: [Part]
    /// The table's size on disk, indexes included (on SQLite, the whole database file).
    public let tableBytes: Int64?
    /// The table's rows as the database estimates them (PostgreSQL `pg_class.reltuples`, MySQL
    /// `information_schema.TABLE_ROWS`, SQLite an exact count); `nil` before any statistics.
    public let estimatedRows: Int?

    /// Bytes per row: the table's size over its estimated rows.
    public var averageRowBytes: Double? {
        guard let bytes = tableBytes, let rows = estimatedRows, rows > 0 else { return nil }
        return Double(bytes) / Double(rows)
    }

    public var rows: Int { parts.reduce(0) { $0 + $1.rows } }
    public var bytes: Int64? { averageRowBytes.map { Int64(($0 * Double(rows)).rounded()) } }
}

extension TaskRuns {
    /// The rows a purge with `retention` (and `kind`) would delete now, by status value and
    /// kind, and the bytes that would free, estimated. Changes nothing.
    ///
    /// The rows are the purge's own dry run (its predicate, through the `(status, finished_at,
    /// id)` index), so the figure is what `purge` would delete at that moment. The bytes are
    /// those rows times the table's average row size (its size on disk, indexes included, over
    /// the database's estimate of its rows): an estimate, since rows differ in size, and space
    /// freed is reused by the table before the file shrinks (PostgreSQL after VACUUM, InnoDB
    /// within the tablespace). On SQLite the size is the whole file's, so it is an upper bound.
    public func purgeEstimate(_ retention: RetentionPolicy, kind: String? = nil) throws -> PurgeEstimate {
        var options = PurgeOptions(retention: retention)
        options.kind = kind
        options.dryRun = true
        options.dropPartitions = false
        let summary = try purge(options)
        let bytes = try? connection.query(
            SQL.Runs.TableSize(quotedTableName: .text(dialect.quote(table.name)), tableName: .text(table.name.name))
        ).first?.decode(Int64?.self, .bytes)
        let sized = PurgeEstimate(parts: [], tableBytes: bytes ?? nil, estimatedRows: (try? estimatedRowCount()) ?? nil)
        let average = sized.averageRowBytes
        return PurgeEstimate(
            parts: summary.wouldDelete.map { status, kind, rows in
                .init(status: status, kind: kind, rows: rows, bytes: average.map { Int64(($0 * Double(rows)).rounded()) })
            },
            tableBytes: sized.tableBytes, estimatedRows: sized.estimatedRows)
    }

    /// The table's rows as the database estimates them (`sql/purge/estimated_rows.sql`, the
    /// figure the purge's choice of walk reads): cheap on any table; `nil` where the database
    /// has none yet (PostgreSQL before the first VACUUM or ANALYZE).
    public func estimatedRowCount() throws -> Int? {
        let row = try connection.query(
            SQL.Purge.EstimatedRows(
                columnName: .text(table.columns[.finishedAt]?.name ?? "finished_at"), quotedTableName: .text(dialect.quote(table.name)),
                tableName: .text(table.name.name)),
            names: names()
        ).first
        guard let n = try row?.decode(Int?.self, .n), n >= 0 else { return nil }
        return n
    }
}
