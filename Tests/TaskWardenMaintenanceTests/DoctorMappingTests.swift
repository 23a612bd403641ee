import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// doctor checks a mapping against the table's data: status values and time values.
@Suite("doctor: the mapping against the data")
struct DoctorMappingTests {
    static func check(_ name: String, _ db: any DatabaseConnection, _ yaml: String) throws -> Doctor.Check {
        let table = try TaskWardenConfiguration.parse(yaml).table.fillingColumnsByName(on: db)
        return try #require(Doctor(connection: db, table: table).run().first { $0.name == name })
    }

    @Test("unmapped status values are listed with counts; local times read as UTC look like the future; the right zone passes", arguments: TestBackend.allCases)
    func statusesAndZones(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let time = backend == .mysql ? "DATETIME(6)" : "TIMESTAMP"
        try db.execute("CREATE TABLE app_runs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at \(time) NULL)", [])
        // Shanghai's wall clock, 8 hours ahead of UTC, as an application's datetime.now() writes it.
        let shanghai = TimeZoneTableTests.wallClock(fixture.now, in: "Asia/Shanghai")
        let p = db.dialect.placeholder
        for (id, status) in [(1, "running"), (2, "RETRY"), (3, "RETRY"), (4, "weird")] {
            try db.execute("INSERT INTO app_runs (id, status, started_at) VALUES (\(p(1)), \(p(2)), \(p(3)))", [.integer(Int64(id)), .text(status), .text(shanghai)])
        }
        let statuses = try Self.check("status values", db, "table: {name: app_runs}")
        #expect(statuses.level == .warn)
        #expect(statuses.summary.contains("'RETRY' (2)") && statuses.summary.contains("'weird' (1)"), "\(statuses.summary)")
        #expect(try Self.check("status values", db, "table: {name: app_runs, statuses: {queued: [RETRY], failed: [weird]}}").level == .ok)

        let utc = try Self.check("time values", db, "table: {name: app_runs}")
        #expect(utc.level == .fail)
        #expect(utc.summary.contains("in the future") && utc.hint?.contains("time_zone") == true, "\(utc.summary)")
        let zoned = try Self.check("time values", db, "table: {name: app_runs, time_zone: Asia/Shanghai}")
        #expect(zoned.level == .ok, "\(zoned.summary)")
    }

    @Test("indexes: task_runs has every one; a mapped table without them gets the statements that create them", arguments: TestBackend.allCases)
    func indexes(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let own = try #require(Doctor(connection: db).run().first { $0.name == "indexes" })
        #expect(own.level == .ok, "\(own.summary)")
        try db.execute("CREATE TABLE bare_jobs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, done_at TIMESTAMP NULL)", [])
        let bare = try Self.check("indexes", db, "table: {name: bare_jobs, columns: {finished_at: done_at}}")
        #expect(bare.level == .warn)
        #expect(bare.summary.contains("stuck detection (status, started_at)") && bare.summary.contains("purge (status, done_at)"), "\(bare.summary)")
        func q(_ name: String) -> String { db.dialect.quote(try! SQLIdentifier(name)) }
        #expect(bare.hint?.contains(q("bare_jobs_taskwarden_stuck_idx")) == true && bare.hint?.contains("(\(q("status")), \(q("started_at")))") == true, "\(String(describing: bare.hint))")
        for statement in (bare.hint ?? "").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }) {
            // Each statement runs as printed (CONCURRENTLY outside a transaction on PostgreSQL).
            try db.execute(statement, [])
        }
        #expect(try Self.check("indexes", db, "table: {name: bare_jobs, columns: {finished_at: done_at}}").level == .ok)
    }

    @Test("SQLite text times with a T under time_format text (or the other way round) fail, naming the column")
    func textShapes() throws {
        let fixture = try RunFixture(.sqlite)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE py_runs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, begun TEXT)", [])
        try db.execute("INSERT INTO py_runs (id, status, begun) VALUES (1, 'running', ?)", [TimeFormat.iso8601.encode(fixture.now)])
        let wrong = try Self.check("time values", db, "table: {name: py_runs, columns: {started_at: begun}, time_format: text}")
        #expect(wrong.level == .fail)
        #expect(wrong.summary.contains("begun") && wrong.summary.contains("time_format text"), "\(wrong.summary)")
        #expect(try Self.check("time values", db, "table: {name: py_runs, columns: {started_at: begun}, time_format: iso8601}").level == .ok)
        #expect(try Self.check("time values", db, "table: {name: py_runs, columns: {started_at: begun}, time_format: unix_seconds}").level == .fail)
    }
}
