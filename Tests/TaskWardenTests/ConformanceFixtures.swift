import TaskWarden
import TaskWardenTestSupport

/// Per-dialect DDL for the tables the conformance suite creates. Test-only SQL: the product's
/// SQL lives in `migrations/` and `sql/`.
enum ConformanceFixtures {
    /// A table with one column per value kind: id, i (integer), d (double), s (text), b (bytes), ts (time).
    static func createValuesTable(_ name: String, on db: any DatabaseConnection) throws {
        switch db.backend {
        case .postgresql:
            try db.execute(
                "CREATE TABLE \(name) (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, b BYTEA, ts TIMESTAMPTZ)", [])
        case .mysql:
            try db.execute(
                "CREATE TABLE \(name) (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE, s LONGTEXT, b LONGBLOB, ts DATETIME(6)) CHARACTER SET utf8mb4 ENGINE=InnoDB", [])
        case .sqlite:
            try db.execute(
                "CREATE TABLE \(name) (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB, ts TIMESTAMP)", [])
        }
    }

    static func insert(into table: String, on db: any DatabaseConnection, id: Int64, column: String, value: DatabaseValue) throws {
        try db.execute(
            "INSERT INTO \(table) (id, \(column)) VALUES (\(db.dialect.placeholder(1)), \(db.dialect.placeholder(2)))",
            [.integer(id), value])
    }

    static func select(_ column: String, from table: String, on db: any DatabaseConnection, id: Int64) throws -> Row {
        let rows = try db.query("SELECT \(column) FROM \(table) WHERE id = \(db.dialect.placeholder(1))", [.integer(id)])
        guard let row = rows.first, rows.count == 1 else { throw FixtureError("expected one row with id \(id), got \(rows.count)") }
        return row
    }

    static func drop(_ table: String, on db: any DatabaseConnection) {
        _ = try? db.execute("DROP TABLE IF EXISTS \(table)", [])
    }

    /// The SQL that asks a server for this session's identifier, and the statement that kills a session.
    static func killSession(of victim: any DatabaseConnection, from killer: any DatabaseConnection) throws {
        switch victim.backend {
        case .postgresql:
            let pid = try victim.queryValue(Int64.self, "SELECT pg_backend_pid()")
            let killed = try killer.queryValue(Bool.self, "SELECT pg_terminate_backend($1::int)", [.integer(pid)])
            guard killed else { throw FixtureError("pg_terminate_backend(\(pid)) returned false") }
        case .mysql:
            let id = try victim.queryValue(Int64.self, "SELECT CONNECTION_ID()")
            // KILL takes no placeholder; the id is an integer the server just gave us.
            try killer.execute("KILL CONNECTION \(id)", [])
        case .sqlite:
            throw FixtureError("SQLite has no server session to kill")
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
