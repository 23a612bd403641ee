import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The driver contract, checked against a real server of every backend.
@Suite("Driver conformance")
struct DriverConformanceTests {
    /// Inserts `value` into `column` and reads it back through `decode`.
    private func roundTrip<T: DatabaseValueConvertible & Equatable>(
        _ backend: TestBackend, column: String, values: [T]
    ) throws -> [T] {
        let db = try backend.connect()
        defer { db.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        var decoded: [T] = []
        for (offset, value) in values.enumerated() {
            try ConformanceFixtures.insert(into: table, on: db, id: Int64(offset), column: column, value: value.databaseValue)
            decoded.append(try ConformanceFixtures.select(column, from: table, on: db, id: Int64(offset)).decode(T.self, column))
        }
        return decoded
    }

    @Test("64-bit integers round-trip", arguments: TestBackend.allCases)
    func integers(backend: TestBackend) throws {
        let values: [Int64] = [0, 1, -1, 42, Int64.max, Int64.min, 1 << 53 + 1]
        #expect(try roundTrip(backend, column: "i", values: values) == values)
    }

    @Test("doubles round-trip", arguments: TestBackend.allCases)
    func doubles(backend: TestBackend) throws {
        let values: [Double] = [0, 0.1, -1.5, 3.141592653589793, 1e300, -2.2250738585072014e-308, 123456789.125]
        #expect(try roundTrip(backend, column: "d", values: values) == values)
    }

    @Test("text round-trips: unicode, empty, large, quotes and semicolons verbatim", arguments: TestBackend.allCases)
    func text(backend: TestBackend) throws {
        let values = [
            "héllo wörld ✓ 日本語 🎉 Ωμέγα",
            "",
            "Robert'); DROP TABLE students;--",
            "it's \"quoted\" `ticked` \\ backslash \\' ; $1 ? :name %s",
            "line one\nline two\r\n\ttabbed",
            String(repeating: "0123456789abcdef", count: 65_536),  // 1 MiB
        ]
        #expect(try roundTrip(backend, column: "s", values: values) == values)
    }

    @Test("empty string and NULL stay distinct", arguments: TestBackend.allCases)
    func emptyVersusNull(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        try ConformanceFixtures.insert(into: table, on: db, id: 1, column: "s", value: .text(""))
        try ConformanceFixtures.insert(into: table, on: db, id: 2, column: "s", value: .null)
        #expect(try ConformanceFixtures.select("s", from: table, on: db, id: 1)["s"] == .text(""))
        #expect(try ConformanceFixtures.select("s", from: table, on: db, id: 2)["s"] == .null)
        #expect(try ConformanceFixtures.select("s", from: table, on: db, id: 2).decode(String?.self, "s") == nil)
        let nullCount = try db.queryValue(Int.self, "SELECT count(*) FROM \(table) WHERE s IS NULL")
        #expect(nullCount == 1)
    }

    @Test("bytes round-trip, including NUL and every byte value", arguments: TestBackend.allCases)
    func bytes(backend: TestBackend) throws {
        let values: [[UInt8]] = [[], [0], Array(0...255), [0xff, 0x00, 0x27, 0x5c, 0x3b]]
        #expect(try roundTrip(backend, column: "b", values: values) == values)
    }

    @Test("timestamps round-trip with microseconds, in UTC", arguments: TestBackend.allCases)
    func timestamps(backend: TestBackend) throws {
        let values = [
            Timestamp(Timestamp.Components(year: 2026, month: 11, day: 22, hour: 22, minute: 38, second: 48, microsecond: 123_456)),
            Timestamp(Timestamp.Components(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0, microsecond: 1)),
            Timestamp(Timestamp.Components(year: 1999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)),
            Timestamp(Timestamp.Components(year: 2038, month: 1, day: 19, hour: 3, minute: 14, second: 8)),
        ]
        #expect(try roundTrip(backend, column: "ts", values: values) == values)
    }

    @Test("the database clock agrees with ours and reads back as UTC", arguments: TestBackend.allCases)
    func databaseClockIsUTC(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let sql: String
        switch backend {
        case .postgresql: sql = "SELECT now()"
        case .mysql: sql = "SELECT NOW(6)"
        case .sqlite: sql = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"
        }
        let serverNow = try db.queryValue(Timestamp.self, sql)
        let drift = abs(serverNow.secondsSinceEpoch - Timestamp.now.secondsSinceEpoch)
        #expect(drift < 60, "server clock \(serverNow) is \(drift) s away from ours: time zone not UTC?")
    }

    @Test("columns are found by name, case-insensitively", arguments: TestBackend.allCases)
    func columnsByName(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let row = try #require(try db.queryFirst("SELECT 7 AS Seven, 'x' AS letter", []))
        #expect(row.columns.count == 2)
        #expect(try row.decode(Int.self, "seven") == 7)
        #expect(try row.decode(String.self, "LETTER") == "x")
        #expect(row["missing"] == nil)
        #expect(throws: RowDecodingError.self) { try row.decode(Int.self, "letter") }
    }

    @Test("a transaction commits when its body returns and rolls back when it throws", arguments: TestBackend.allCases)
    func transactions(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        try db.inTransaction { db in
            try ConformanceFixtures.insert(into: table, on: db, id: 1, column: "s", value: "kept")
        }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try db.inTransaction { db in
                try ConformanceFixtures.insert(into: table, on: db, id: 2, column: "s", value: "discarded")
                throw Abort()
            }
        }
        let other = try DatabaseDrivers.connect(db.url)
        defer { other.close() }
        #expect(try other.query("SELECT id FROM \(table) ORDER BY id", []).map { try $0.decode(Int.self, "id") } == [1])
    }

    @Test("execute reports the rows an UPDATE matched", arguments: TestBackend.allCases)
    func affectedRows(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        for id in 1...3 { try ConformanceFixtures.insert(into: table, on: db, id: Int64(id), column: "i", value: 5) }
        let p = db.dialect.placeholder
        // Setting a value to what it already is still counts: compare-and-set relies on it.
        #expect(try db.execute("UPDATE \(table) SET i = \(p(1)) WHERE i = \(p(2))", [5, 5]) == 3)
        #expect(try db.execute("UPDATE \(table) SET i = \(p(1)) WHERE id = \(p(2))", [6, 2]) == 1)
        #expect(try db.execute("DELETE FROM \(table) WHERE i = \(p(1))", [99]) == 0)
        #expect(try db.execute("CREATE TABLE \(table)_extra (x INTEGER)", []) == 0)
        ConformanceFixtures.drop("\(table)_extra", on: db)
    }

    @Test("a unique violation is classified as a constraint violation", arguments: TestBackend.allCases)
    func uniqueViolation(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        try ConformanceFixtures.insert(into: table, on: db, id: 1, column: "s", value: "first")
        let error = try #require(throws: DatabaseError.self) {
            try ConformanceFixtures.insert(into: table, on: db, id: 1, column: "s", value: "second")
        }
        #expect(error.category == .constraintViolation)
        #expect(!error.category.isTransient)
        switch backend {
        case .postgresql: #expect(error.sqlState == "23505")
        case .mysql:
            #expect(error.sqlState == "23000")
            #expect(error.vendorCode == 1062)
        case .sqlite: #expect([1555, 2067].contains(error.vendorCode))  // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE
        }
        #expect(error.sql?.contains("INSERT INTO") == true)
        // The session is still usable after an error.
        #expect(try db.queryValue(Int.self, "SELECT 1") == 1)
    }

    @Test("a syntax error is classified as other, with the backend's code", arguments: TestBackend.allCases)
    func syntaxError(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let error = try #require(throws: DatabaseError.self) { try db.query("SELEC 1 FROM", []) }
        #expect(error.category == .other)
        #expect(error.backend == db.backend)
        #expect(!error.message.isEmpty)
        #expect(!error.description.contains("\n"))
        switch backend {
        case .postgresql: #expect(error.sqlState == "42601")
        case .mysql: #expect(error.vendorCode == 1064)
        case .sqlite: #expect(error.vendorCode == 1)  // SQLITE_ERROR
        }
    }

    @Test("a missing table is classified by the driver as an undefined table", arguments: TestBackend.allCases)
    func undefinedTable(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let error = try #require(throws: DatabaseError.self) { try db.query("SELECT * FROM no_such_table_here", []) }
        #expect(error.category == .undefinedTable)
        #expect(error.isUndefinedTable)
        #expect(!error.category.isTransient)
        // A missing column is not a missing table.
        let column = try #require(throws: DatabaseError.self) { try db.query("SELECT no_such_column FROM (SELECT 1 AS one) AS t", []) }
        #expect(column.category == .other)
    }

    @Test("a parameter count mismatch is an error, not a crash", arguments: TestBackend.allCases)
    func parameterCountMismatch(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let p = db.dialect.placeholder
        #expect(throws: DatabaseError.self) { try db.query("SELECT \(p(1)), \(p(2))", [1]) }
        #expect(try db.queryValue(Int.self, "SELECT 1") == 1)
    }

    @Test("a lost connection is reported as such, without a crash or a hang", arguments: [TestBackend.postgresql, .mysql])
    func killedSession(backend: TestBackend) throws {
        let victim = try backend.connect()
        defer { victim.close() }
        let killer = try backend.connect()
        defer { killer.close() }
        try ConformanceFixtures.killSession(of: victim, from: killer)
        let error = try #require(throws: DatabaseError.self) {
            // The kill is asynchronous on the server: give it a moment to land.
            for _ in 0..<50 {
                _ = try victim.query("SELECT 1", [])
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        #expect(error.category == .connectionLost)
        #expect(error.category.isTransient)
        #expect(victim.isClosed)
        // Later calls fail the same way rather than crashing.
        #expect(throws: DatabaseError.self) { try victim.ping() }
        #expect(try killer.queryValue(Int.self, "SELECT 1") == 1)
    }

    @Test("a closed connection refuses work with a connection-lost error", arguments: TestBackend.allCases)
    func closedConnection(backend: TestBackend) throws {
        let db = try backend.connect()
        db.close()
        db.close()
        #expect(db.isClosed)
        let error = try #require(throws: DatabaseError.self) { try db.query("SELECT 1", []) }
        #expect(error.category == .connectionLost)
    }

    @Test("the dialect describes the connected server", arguments: TestBackend.allCases)
    func dialect(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        #expect(db.backend.rawValue == backend.rawValue)
        #expect(!db.serverVersion.isEmpty)
        let identifier = try SQLIdentifier("task_runs")
        switch backend {
        case .postgresql:
            #expect(db.dialect.placeholder(2) == "$2")
            #expect(db.dialect.returning == .all)
            #expect(!db.dialect.supportsDeleteLimit)
            #expect(db.dialect.locking == .advisoryLock)
            #expect(db.dialect.quote(identifier) == "\"task_runs\"")
        case .mysql:
            #expect(db.dialect.placeholder(2) == "?")
            #expect(!db.dialect.returning.contains(.update))
            #expect(db.dialect.supportsDeleteLimit)
            #expect(db.dialect.locking == .namedLock)
            #expect(db.dialect.quote(identifier) == "`task_runs`")
            #expect(db.dialect.isMariaDB == db.serverVersion.contains("MariaDB"))
        case .sqlite:
            #expect(db.dialect.placeholder(2) == "?")
            #expect(db.dialect.beginTransactionSQL == "BEGIN IMMEDIATE")
            #expect(db.dialect.locking == .databaseFileLock)
            #expect(!db.dialect.supportsSkipLocked)
        }
        // The quoted identifier works in real SQL.
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: db)
        defer { ConformanceFixtures.drop(table, on: db) }
        #expect(try db.queryValue(Int.self, "SELECT count(*) FROM \(db.dialect.quote(try SQLIdentifier(table)))") == 0)
    }

    @Test("more than one statement in a call is refused", arguments: [TestBackend.sqlite, .postgresql, .mysql])
    func oneStatementPerCall(backend: TestBackend) throws {
        let db = try backend.connect()
        defer { db.close() }
        let p = db.dialect.placeholder
        #expect(throws: DatabaseError.self) { try db.query("SELECT \(p(1)); SELECT 2", [1]) }
    }
}
