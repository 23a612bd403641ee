import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The table mapping on tables shaped like the seeds' own, each on its own backend.
@Suite("Mapped tables from the seeds")
struct SeedTableTests {
    static let policy = StuckPolicy(defaultThreshold: .seconds(600))

    @Test("tender_runs on PostgreSQL (seed 001): naive timestamps, success/pending statuses")
    func tenderRuns() throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("""
            CREATE TABLE tender_runs (id SERIAL PRIMARY KEY, task_type VARCHAR(50), status VARCHAR(20) NOT NULL DEFAULT 'pending',
                started_at TIMESTAMP, updated_at TIMESTAMP, completed_at TIMESTAMP, error_message TEXT)
            """, [])
        try db.execute("""
            INSERT INTO tender_runs (task_type, status, started_at, updated_at, completed_at) VALUES
              ('crawl', 'running', now() - interval '2 hours', now() - interval '90 minutes', NULL),
              ('crawl', 'running', now() - interval '2 hours', now() - interval '1 minute', NULL),
              ('analyze', 'success', now() - interval '3 hours', NULL, now() - interval '170 minutes'),
              ('analyze', 'pending', NULL, NULL, NULL)
            """, [])
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: tender_runs
              columns: {kind: task_type, started_at: started_at, heartbeat_at: updated_at, finished_at: completed_at, error: error_message}
              statuses: {queued: [pending], succeeded: [success, completed]}
            stuck:
              older_than: 10m
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let stuck = try runs.findStuck(policy: config.stuck)
        #expect(stuck.map { Int64.fromDatabaseValue($0.id) } == [1])
        let result = try runs.recover(RecoverOptions(policy: config.stuck))
        #expect(result.changed.sample.map(\.newStatus) == ["failed"])
        let row = try #require(try db.queryFirst("SELECT status, completed_at, error_message FROM tender_runs WHERE id = 1"))
        #expect(row["status"] == .text("failed"))
        #expect(row["completed_at"] != .null)
        #expect(try row.decode(String.self, "error_message").contains("no sign of life"))
        let stats = try runs.stats(policy: config.stuck)
        #expect(stats.counts.first { $0.value == "success" }?.status == .succeeded)
        #expect(stats.total == 4)
        #expect(try db.queryValue(String.self, "SELECT target_table FROM task_run_events LIMIT 1") == "tender_runs")

        // Two values for succeeded: each is walked (beside failed in the first walk), each
        // by the same cutoff; the run failed just now by recover stays.
        try db.execute("INSERT INTO tender_runs (task_type, status, started_at, completed_at) VALUES ('crawl', 'completed', now() - interval '4 hours', now() - interval '3 hours')", [])
        let purged = try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(3_600), .failed: .seconds(3_600)])))
        #expect(purged.rows == 2)
        #expect(Dictionary(uniqueKeysWithValues: purged.passes.map { ($0.value, $0.rows) }) == ["success": 1, "completed": 1, "failed": 0])
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM tender_runs WHERE status IN ('success', 'completed')") == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM tender_runs WHERE status = 'failed'") == 1)
    }

    @Test("publish_tasks on MySQL (seed 002): no heartbeat column, platform as kind")
    func publishTasks() throws {
        let fixture = try RunFixture(.mysql)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("""
            CREATE TABLE publish_tasks (id INT AUTO_INCREMENT PRIMARY KEY, task_id VARCHAR(64), platform VARCHAR(32),
                status VARCHAR(16) NOT NULL DEFAULT 'queued', progress INT DEFAULT 0, started_at DATETIME,
                completed_at DATETIME, error_message TEXT)
            """, [])
        try db.execute("""
            INSERT INTO publish_tasks (task_id, platform, status, progress, started_at) VALUES
              ('a1', 'zhihu', 'running', 90, NOW() - INTERVAL 30 MINUTE),
              ('a2', 'zhihu', 'running', 10, NOW() - INTERVAL 2 MINUTE),
              ('a3', 'csdn', 'running', 50, NOW() - INTERVAL 40 MINUTE),
              ('a4', 'csdn', 'success', 100, NOW() - INTERVAL 50 MINUTE)
            """, [])
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: publish_tasks
              columns: {kind: platform, started_at: started_at, finished_at: completed_at, error: error_message, progress: progress}
              statuses: {succeeded: [success]}
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        #expect(try runs.findStuck(policy: Self.policy).count == 2)
        #expect(try runs.findStuck(policy: Self.policy, kind: "zhihu").count == 1)
        let reset = try runs.reset(ResetFilter(statuses: [.running], kinds: ["zhihu"]), to: .failed, reason: "MySQL connection timeout, republish")
        #expect(reset.changed.count == 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM publish_tasks WHERE status = 'failed'") == 2)
        let undo = try runs.undo(batchID: try #require(reset.batchID))
        #expect(undo.restored.count == 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM publish_tasks WHERE status = 'running'") == 3)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM publish_tasks WHERE completed_at IS NOT NULL") == 0)
    }

    @Test("tasks on SQLite (seed 003): ISO-8601 text times with T, text ids")
    func sqliteTasks() throws {
        let fixture = try RunFixture(.sqlite)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("""
            CREATE TABLE tasks (task_id TEXT PRIMARY KEY, strategy TEXT, status TEXT NOT NULL, progress REAL,
                created_at TEXT, started_at TEXT, updated_at TEXT, completed_at TEXT, error TEXT)
            """, [])
        func iso(_ minutesAgo: Double) -> DatabaseValue { TimeFormat.iso8601.encode(fixture.ago(minutes: minutesAgo)) }
        for (id, status, started, updated) in [
            ("9f1c-aaaa", "running", 120.0, 95.0), ("9f1c-bbbb", "running", 120.0, 0.5), ("9f1c-cccc", "completed", 300.0, 200.0),
        ] {
            try db.execute(
                "INSERT INTO tasks (task_id, strategy, status, progress, created_at, started_at, updated_at) VALUES (?, 'ma_cross', ?, 90, ?, ?, ?)",
                [.text(id), .text(status), iso(started), iso(started), iso(updated)])
        }
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: tasks
              columns: {id: task_id, kind: strategy, started_at: started_at, heartbeat_at: updated_at, finished_at: completed_at, error: error, created_at: created_at}
              statuses: {queued: [pending], succeeded: [completed], cancelled: [cancelled, stopped]}
              time_format: iso8601
            stuck: {older_than: 60m}
            """)
        #expect(config.table.timeFormat == .iso8601)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let stuck = try runs.findStuck(policy: config.stuck)
        #expect(stuck.map { String.fromDatabaseValue($0.id) } == ["9f1c-aaaa"])
        let result = try runs.recover(RecoverOptions(policy: config.stuck, target: .cancelled))
        #expect(result.changed.sample.map(\.newStatus) == ["cancelled"])
        let completed = try db.queryValue(String.self, "SELECT completed_at FROM tasks WHERE task_id = '9f1c-aaaa'")
        #expect(completed.contains("T") && !completed.hasSuffix("Z"), "written in the table's own format: \(completed)")
        let undo = try runs.undo(batchID: try #require(result.batchID))
        #expect(undo.restored.count == 1)
        #expect(try db.queryValue(String.self, "SELECT status FROM tasks WHERE task_id = '9f1c-aaaa'") == "running")

        // Purge walks text ids and ISO times, one row per batch.
        for (id, finishedMinutesAgo) in [("9f1c-dddd", 3_000.0), ("9f1c-eeee", 2_000.0), ("9f1c-ffff", 10.0)] {
            try db.execute(
                "INSERT INTO tasks (task_id, strategy, status, created_at, completed_at) VALUES (?, 'ma_cross', 'completed', ?, ?)",
                [.text(id), iso(finishedMinutesAgo + 5), iso(finishedMinutesAgo)])
        }
        var purge = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)]))
        purge.batchSize = 1
        let purged = try runs.purge(purge)
        #expect(purged.rows == 2)
        #expect(purged.passes.map(\.batches) == [2])
        let left = try db.query("SELECT task_id FROM tasks ORDER BY task_id", []).map { try $0.decode(String.self, "task_id") }
        #expect(left == ["9f1c-aaaa", "9f1c-bbbb", "9f1c-cccc", "9f1c-ffff"])
    }

    @Test("a Django TaskExecution / Task pair (seed 000): the parent task follows its execution")
    func djangoPair() throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE vulns_task (id BIGSERIAL PRIMARY KEY, name VARCHAR(100), status VARCHAR(20) NOT NULL, updated_at TIMESTAMPTZ)", [])
        try db.execute("""
            CREATE TABLE vulns_taskexecution (id BIGSERIAL PRIMARY KEY, task_id BIGINT REFERENCES vulns_task (id),
                status VARCHAR(20) NOT NULL, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, error_message TEXT)
            """, [])
        try db.execute("INSERT INTO vulns_task (name, status) VALUES ('collect-cve', 'RUNNING'), ('collect-cnvd', 'RUNNING')", [])
        try db.execute("""
            INSERT INTO vulns_taskexecution (task_id, status, started_at) VALUES
              (1, 'RUNNING', now() - interval '3 hours'), (2, 'RUNNING', now() - interval '5 minutes')
            """, [])
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: vulns_taskexecution
              columns: {started_at: started_at, finished_at: finished_at, error: error_message}
              statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
              parent:
                name: vulns_task
                key: task_id
                statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let result = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(3_600))))
        #expect(Set(result.changed.sample.map { "\($0.table):\($0.newStatus)" }) == ["vulns_taskexecution:FAILED", "vulns_task:FAILED"])
        #expect(try db.queryValue(String.self, "SELECT status FROM vulns_task WHERE id = 1") == "FAILED")
        #expect(try db.queryValue(String.self, "SELECT status FROM vulns_task WHERE id = 2") == "RUNNING")
        let undo = try runs.undo(batchID: try #require(result.batchID))
        #expect(undo.restored.count == 2)
        #expect(try db.queryValue(String.self, "SELECT status FROM vulns_task WHERE id = 1") == "RUNNING")
        #expect(try db.queryValue(String.self, "SELECT status FROM vulns_taskexecution WHERE id = 1") == "RUNNING")
    }
}

@Suite("Configuration files")
struct ConfigurationTests {
    @Test("hostile or malformed identifiers are refused with a clear error", arguments: [
        "table: {name: \"tasks; DROP TABLE users\"}",
        "table: {name: tasks, columns: {status: \"status\\\" OR 1=1 --\"}}",
        "table: {name: \"`tasks`\"}",
        "table: {name: tasks, columns: {kind: \"a b\"}}",
        "table: {name: tasks, parent: {name: \"x;y\", key: task_id}}",
    ])
    func hostileIdentifiers(yaml: String) {
        let error = #expect(throws: ConfigurationError.self) { try TaskWardenConfiguration.parse(yaml) }
        #expect(error?.description.contains("not a plain SQL identifier") == true, "\(String(describing: error))")
    }

    @Test("unknown keys, bad durations, unknown statuses and formats are refused", arguments: [
        "stuck: {olderthan: 10m}", "stuck: {older_than: 10}", "table: {name: t, statuses: {done: [x]}}",
        "table: {name: t, time_format: epoch}", "table: {name: t, columns: {finish: x}}", "table: {columns: {id: x}}",
        "table: {name: t, statuses: {running: [x], failed: [x]}}", "tabel: {name: t}", "table: [1, 2]",
        "watch: {evry: 1m}", "watch: {every: 0s}", "watch: {recover_to: succeeded}", "watch: {purge_every: soon}",
    ])
    func refused(yaml: String) {
        #expect(throws: ConfigurationError.self) { try TaskWardenConfiguration.parse(yaml) }
    }

    @Test("watch: sets the watchdog's cycle, lease, target and purge interval; a wrong value names its key")
    func watchSettings() throws {
        let configuration = try TaskWardenConfiguration.parse("watch: {every: 15s, lease: 20s, recover_to: queued, purge_every: 6h}")
        #expect(configuration.watch.every == .seconds(15) && configuration.watch.lease == .seconds(20))
        #expect(configuration.watch.recoverTo == .queued && configuration.watch.purgeEvery == .seconds(21_600))
        #expect(try TaskWardenConfiguration.parse("stuck: {older_than: 5m}").watch == WatchSettings())
        let error = #expect(throws: ConfigurationError.self) { try TaskWardenConfiguration.parse("watch: {recover_to: done}", source: "tw.yaml") }
        #expect(error?.description == "tw.yaml: 'watch.recover_to': 'done' is not failed, cancelled or queued")
    }

    @Test("without a file, the built-in table and a 30-minute threshold apply")
    func defaults() throws {
        let configuration = try TaskWardenConfiguration.load(path: nil, directory: try TemporaryDirectory.make())
        #expect(configuration.table.name.description == "task_runs")
        #expect(configuration.stuck.defaultThreshold == .seconds(1_800))
        #expect(configuration.source == nil)
        #expect(throws: ConfigurationError.self) { try TaskWardenConfiguration.load(path: "/no/such/taskwarden.yaml") }
    }
}
