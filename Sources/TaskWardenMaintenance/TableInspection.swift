import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// What `taskwarden map` reads of a table before proposing a mapping: its columns and their
/// declared types, its indexes, its status values with counts, and its newest time values.
///
/// Read from the database's catalogue and a few bounded queries, never by guessing from the
/// name alone, so that the proposal names what it could not decide instead of inventing it.
public struct TableInspection: Sendable {
    public struct Column: Sendable, Hashable {
        public let name: String
        /// The declared type, lowercased (`timestamp without time zone`, `datetime`, `text`).
        public let type: String

        package init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public let table: SQLIdentifier
    /// The database's dialect: the index statements are written in it.
    public let dialect: SQLDialect
    public var backend: DatabaseBackend { dialect.backend }
    public let columns: [Column]
    /// Index name to its columns, in order.
    public let indexes: [String: [String]]
    /// The values of the column guessed to hold the status, most runs first.
    public let statusValues: [(value: String, count: Int)]
    /// Up to ``sampleSize`` of the newest non-null values of each column that holds time.
    public let timeSamples: [String: [DatabaseValue]]

    public static let sampleSize = 5

    package init(
        table: SQLIdentifier, dialect: SQLDialect, columns: [Column], indexes: [String: [String]],
        statusValues: [(value: String, count: Int)], timeSamples: [String: [DatabaseValue]]
    ) {
        self.table = table
        self.dialect = dialect
        self.columns = columns
        self.indexes = indexes
        self.statusValues = statusValues
        self.timeSamples = timeSamples
    }

    /// Reads `table` on `connection`.
    public static func inspect(_ table: SQLIdentifier, on connection: any DatabaseConnection) throws -> TableInspection {
        let dialect = connection.dialect
        let columns = try TaskTable.declaredTypes(of: table, on: connection).map { Column(name: $0.name, type: $0.type) }
        let indexes = try Self.indexes(of: table, on: connection)
        let roles = RoleGuess(columns: columns.map(\.name))
        var names: [String: SQLIdentifier] = ["table": table]
        var statusValues: [(String, Int)] = []
        if let status = roles.columns[.status] {
            names["status"] = try SQLIdentifier(status)
            names["id"] = try SQLIdentifier(roles.columns[.id] ?? status)
            statusValues = try connection.query(SQL.Doctor.StatusValues(), names: names).map {
                (try $0.decode(String?.self, .status) ?? "NULL", try $0.decode(Int.self, .n))
            }.sorted { $0.1 > $1.1 }
        }
        var timeSamples: [String: [DatabaseValue]] = [:]
        if let id = roles.columns[.id] {
            for column in columns where Self.holdsTime(column) || roles.timeColumns.contains(column.name) {
                let sampleNames = ["table": table, "id": try SQLIdentifier(id), "started_at": try SQLIdentifier(column.name)]
                let rows = try connection.query(SQL.Doctor.TimeSamples(limit: .integer(Int64(sampleSize * 4))), names: sampleNames)
                timeSamples[column.name] = Array(rows.map(\.startedAt).filter { $0 != .null }.prefix(sampleSize))
            }
        }
        return TableInspection(
            table: table, dialect: dialect, columns: columns, indexes: indexes, statusValues: statusValues, timeSamples: timeSamples)
    }

    /// The table's indexes: name to columns, in order.
    static func indexes(of table: SQLIdentifier, on connection: any DatabaseConnection) throws -> [String: [String]] {
        let statement = SQL.Map.Indexes(
            quotedTableName: .text(connection.dialect.quote(table)), schemaName: table.parts.count > 1 ? .text(table.parts[0]) : .null,
            tableName: .text(table.name))
        var indexes: [String: [String]] = [:]
        for row in try connection.query(statement) {
            indexes[try row.decode(String.self, .indexName), default: []].append(try row.decode(String.self, .columnName))
        }
        return indexes
    }

    /// Whether the declared type is a time type (SQLite text times are found by name instead).
    static func holdsTime(_ column: Column) -> Bool {
        column.type.contains("time") || column.type.hasPrefix("date")
    }
}
