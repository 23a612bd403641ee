import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Tables whose application has no value for some statuses (seed 001's `tender_runs` and its
/// Django parent have no cancelled).
@Suite("Statuses a table lacks")
struct MissingStatusTests {
    static let mapping = """
        table:
          name: tender_runs
          columns: {started_at: started_at, finished_at: completed_at, error: error_message}
          statuses: {queued: [pending], succeeded: [success]}
          missing_statuses: [cancelled]
          parent: {name: tender_tasks, key: task_id, statuses: {queued: [pending], succeeded: [success]}, missing_statuses: [cancelled]}
        """

    static func create(on db: any DatabaseConnection, now: Timestamp) throws {
        try db.execute("CREATE TABLE tender_tasks (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
        try db.execute("""
            CREATE TABLE tender_runs (id INTEGER PRIMARY KEY, task_id INTEGER, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL,
                completed_at TIMESTAMP NULL, error_message TEXT)
            """, [])
        try db.execute("INSERT INTO tender_tasks (id, status) VALUES (1, 'running'), (2, 'success')", [])
        let p = db.dialect.placeholder
        for (id, task, status, minutes) in [(1, 1, "running", 120.0), (2, 1, "running", 1.0), (3, 2, "success", 600.0), (4, 2, "failed", 600.0)] {
            let finished: DatabaseValue = status == "running" ? .null : .timestamp(now.adding(seconds: -minutes * 60 + 60))
            try db.execute(
                "INSERT INTO tender_runs (id, task_id, status, started_at, completed_at) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)))",
                [.integer(Int64(id)), .integer(Int64(task)), .text(status), .timestamp(now.adding(seconds: -minutes * 60)), finished])
        }
    }

    static func statuses(_ db: any DatabaseConnection, _ table: String) throws -> [String] {
        try db.query("SELECT status FROM \(table) ORDER BY id", []).map { try $0.decode(String.self, "status") }
    }

    @Test("reset, recover and a worker's finish refuse to write the missing status; purge skips it; nothing changes", arguments: TestBackend.allCases)
    func refusedWrites(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try Self.create(on: db, now: fixture.now)
        let config = try TaskWardenConfiguration.parse(Self.mapping)
        #expect(config.table.lacks(.cancelled) && config.table.parent?.table.lacks(.cancelled) == true)
        #expect(config.table.values(.cancelled).isEmpty)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let before = (try Self.statuses(db, "tender_runs"), try Self.statuses(db, "tender_tasks"))

        for attempt in [
            { _ = try runs.reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "deploy gone wrong") },
            { _ = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), target: .cancelled)) },
            { _ = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), target: .cancelled, dryRun: true)) },
            { _ = try runs.previewReset(ResetFilter(statuses: [.cancelled]), reason: "matching it") },
        ] as [() throws -> Void] {
            let error = try #require(throws: TaskTableError.self) { try attempt() }
            #expect(error.kind == .statusMissing(.cancelled, table: "tender_runs"))
            #expect(error.description.contains("no 'cancelled' status"))
        }
        try db.execute("INSERT INTO tender_runs (id, task_id, status) VALUES (5, 1, 'pending')", [])
        let queue = try DatabaseDrivers.queue(try fixture.database.url)
        defer { queue.close() }
        let lifecycle = RunLifecycle(database: queue, table: config.table, worker: "w1")
        let ticket = try lifecycle.start(.integer(5))
        #expect(throws: TaskTableError.self) { try lifecycle.finish(ticket, .cancelled(reason: "stop")) }
        try db.execute("DELETE FROM tender_runs WHERE id = 5", [])
        #expect(try Self.statuses(db, "tender_runs") == before.0)
        #expect(try Self.statuses(db, "tender_tasks") == before.1)

        // What exists still works: failed is written, and purge walks succeeded and failed only.
        let recovered = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600))))
        #expect(recovered.changed.count(in: "tender_runs") == 1)
        let purged = try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(3_600), .failed: .seconds(3_600), .cancelled: .seconds(3_600)])))
        #expect(purged.rows == 2)
        #expect(Set(purged.passes.map(\.value)) == ["success", "failed"])
    }

    @Test("a mapping cannot lack running or succeeded, nor map and lack one status")
    func refusedMappings() {
        for text in [
            "table: {name: t, columns: {started_at: s}, missing_statuses: [running]}",
            "table: {name: t, columns: {started_at: s}, missing_statuses: [succeeded]}",
            "table: {name: t, columns: {started_at: s}, missing_statuses: [nonsense]}",
            "table: {name: t, columns: {started_at: s}, statuses: {cancelled: [stopped]}, missing_statuses: [cancelled]}",
        ] {
            #expect(throws: ConfigurationError.self, "\(text)") { try TaskWardenConfiguration.parse(text) }
        }
    }
}
