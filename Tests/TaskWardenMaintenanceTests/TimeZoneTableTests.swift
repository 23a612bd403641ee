import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Tables that store local wall-clock times without a zone (seed 001's `datetime.now()`).
@Suite("Mapped tables in a local time zone")
struct TimeZoneTableTests {
    /// New York is behind UTC (a UTC reading makes runs look older), Shanghai ahead (younger).
    static let zones = ["America/New_York", "Asia/Shanghai"]

    /// `instant` as the application writes it: the zone's wall-clock time, as text, computed by
    /// Foundation's formatter rather than by the code under test.
    static func wallClock(_ instant: Timestamp, in zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: instant.secondsSinceEpoch))
    }

    static func create(on db: any DatabaseConnection, backend: TestBackend) throws {
        let time = switch backend {
        case .postgresql: "TIMESTAMP"
        case .mysql: "DATETIME(6)"
        case .sqlite: "TEXT"
        }
        try db.execute("""
            CREATE TABLE local_runs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at \(time),
                updated_at \(time), completed_at \(time), error_message TEXT)
            """, [])
    }

    @Test("stuck ages, recover's finish time, undo and purge cutoffs follow the mapping's zone, not UTC", arguments: TestBackend.allCases, zones)
    func localTimes(backend: TestBackend, zone: String) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        if backend == .postgresql {
            // The server's zone is neither UTC nor the mapping's: new sessions get Auckland.
            try fixture.connection.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Pacific/Auckland'); END $$", [])
        }
        let db = try fixture.database.connect()
        defer { db.close() }
        try Self.create(on: db, backend: backend)
        let p = db.dialect.placeholder
        func insert(_ id: Int, _ status: String, started: Double, updated: Double?, completed: Double?) throws {
            func local(_ minutes: Double?) -> DatabaseValue { minutes.map { .text(Self.wallClock(fixture.ago(minutes: $0), in: zone)) } ?? .null }
            try db.execute(
                "INSERT INTO local_runs (id, status, started_at, updated_at, completed_at) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)))",
                [.integer(Int64(id)), .text(status), local(started), local(updated), local(completed)])
        }
        try insert(1, "running", started: 3, updated: 1, completed: nil)      // alive
        try insert(2, "running", started: 180, updated: 120, completed: nil)  // silent for 2 h
        try insert(3, "success", started: 100, updated: nil, completed: 90)   // past a 1 h retention
        try insert(4, "success", started: 40, updated: nil, completed: 30)    // within it
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: local_runs
              columns: {started_at: started_at, heartbeat_at: updated_at, finished_at: completed_at, error: error_message}
              statuses: {succeeded: [success]}
              time_zone: \(zone)
            stuck:
              older_than: 10m
            """)
        #expect(config.table.times.zone.identifier == zone)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")

        let stuck = try runs.findStuck(policy: config.stuck)
        #expect(stuck.map { Int64.fromDatabaseValue($0.id) } == [2])
        let silent = try #require(stuck.first).silentFor
        #expect(silent > .seconds(115 * 60) && silent < .seconds(125 * 60), "silent for \(silent)")

        let recovered = try runs.recover(RecoverOptions(policy: config.stuck))
        #expect(recovered.changed.count == 1)
        let finished = try #require(try db.queryFirst("SELECT completed_at FROM local_runs WHERE id = 2")?["completed_at"])
        let written = try #require(Timestamp.fromDatabaseValue(finished))
        let expected = try #require(Timestamp(parsing: Self.wallClock(fixture.now, in: zone)))
        #expect(abs(written.secondsSinceEpoch - expected.secondsSinceEpoch) < 120, "finish time \(written) is not \(zone)'s wall clock \(expected)")

        let undone = try runs.undo(batchID: try #require(recovered.batchID))
        #expect(undone.restored.count == 1)
        #expect(try db.queryFirst("SELECT status, completed_at FROM local_runs WHERE id = 2")?["completed_at"] == .null)

        let purged = try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(3_600)])))
        #expect(purged.rows == 1)
        #expect(try db.query("SELECT id FROM local_runs ORDER BY id", []).map { try $0.decode(Int.self, "id") } == [1, 2, 4])
    }

    @Test("a zone that is not an IANA name is a configuration error naming the key")
    func unknownZone() {
        for name in ["EST", "Mars/Olympus", ""] {
            let error = #expect(throws: ConfigurationError.self) {
                try TaskWardenConfiguration.parse("table: {name: t, columns: {started_at: s}, time_zone: '\(name)'}")
            }
            #expect(error?.description.contains("time_zone") == true, "\(String(describing: error))")
        }
    }
}

/// A time zone is refused where the columns keep their own.
@Suite("Time zones on columns that keep their own")
struct ZonedColumnTests {
    @Test("time_zone on timestamptz (PostgreSQL) or TIMESTAMP (MySQL) columns is refused by stuck, purge and doctor", arguments: [TestBackend.postgresql, .mysql])
    func zonedColumns(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let zoned = backend == .postgresql ? "TIMESTAMPTZ" : "TIMESTAMP NULL"
        try db.execute("CREATE TABLE zoned_runs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at \(zoned), finished_at \(zoned))", [])
        let config = try TaskWardenConfiguration.parse("""
            table: {name: zoned_runs, columns: {started_at: started_at, finished_at: finished_at}, time_zone: Europe/Berlin}
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let stuck = try #require(throws: MaintenanceError.self) { try runs.findStuck(policy: StuckPolicy()) }
        guard case .zoneForZonedColumn(let column, _, _, let zone) = stuck.kind else {
            Issue.record("unexpected \(stuck)")
            return
        }
        #expect(column == "started_at" || column == "finished_at")
        #expect(zone == "Europe/Berlin")
        #expect(throws: MaintenanceError.self) {
            try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(60)])))
        }
        let table = try #require(Doctor(connection: db, table: config.table).run().first { $0.name == "table" })
        #expect(table.level == .fail)
        #expect(table.summary.contains("time_zone"))
    }
}
