import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden map` on tables shaped like the seeds', on each backend.
@Suite("taskwarden map")
struct MapCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("map proposes a mapping that stuck and recover then use; it asks about zone, unknown values and cancelled, and recommends indexes", arguments: TestBackend.allCases)
    func proposesWorkingMapping(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let time = backend == .mysql ? "DATETIME(6)" : "TIMESTAMP"
        // seed 001's tender_runs: naive local times, success/pending, no cancelled.
        try db.execute("""
            CREATE TABLE tender_runs (id INTEGER PRIMARY KEY, task_type VARCHAR(50), status VARCHAR(20) NOT NULL, started_at \(time) NULL,
                updated_at \(time) NULL, completed_at \(time) NULL, error_message TEXT)
            """, [])
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        for (id, status, minutes) in [(1, "running", 120.0), (2, "running", 1.0), (3, "success", 300.0), (4, "pending", 0.0), (5, "on_hold", 0.0)] {
            try db.execute(
                "INSERT INTO tender_runs (id, task_type, status, started_at, updated_at) VALUES (\(p(1)), 'crawl', \(p(2)), \(p(3)), \(p(4)))",
                [.integer(Int64(id)), .text(status), .timestamp(now.adding(seconds: -minutes * 60)), .timestamp(now.adding(seconds: -minutes * 60))])
        }
        let directory = try TemporaryDirectory.make()
        let file = directory.appending("taskwarden.yaml")
        let mapped = try taskwarden.run(["map", "tender_runs", "--output", file] + url)
        #expect(mapped.status == 0, "\(mapped.allOutput)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("heartbeat_at: updated_at") && text.contains("finished_at: completed_at") && text.contains("kind: task_type"), "\(text)")
        #expect(text.contains("queued: [pending]") && text.contains("succeeded: [success]"), "\(text)")
        #expect(text.contains("decide: value on_hold (1 runs)"), "\(text)")
        #expect(text.contains("missing_statuses: [failed, cancelled]"), "\(text)")
        #expect(text.contains("time_zone"), "\(text)")
        #expect(text.contains("taskwarden_stuck_idx") && text.contains("taskwarden_retention_idx"), "\(text)")
        #expect(try taskwarden.run(["map", "tender_runs", "--output", file] + url).status == 2, "an existing file is not overwritten without --force")

        let stuck = try taskwarden.run(["stuck", "--older-than", "10m", "--exit-code", "--json"] + url, workingDirectory: directory)
        #expect(stuck.status == 9, "\(stuck.allOutput)")
        #expect(stuck.standardOutput.contains("\"id\":\"1\""))
        let recovered = try taskwarden.run(["recover", "--older-than", "10m", "--to", "queued"] + url, workingDirectory: directory)
        #expect(recovered.status == 2, "no attempt columns, and failed is missing: \(recovered.allOutput)")

        let missing = try taskwarden.run(["map", "no_such_table"] + url)
        #expect(missing.status == 4 && missing.standardError.contains("does not exist"), "\(missing.allOutput)")
        #expect(try taskwarden.run(["map", "tender_runs; DROP TABLE x"] + url).status == 2)
    }

    @Test("map reads seed 003's SQLite tasks: text ids, ISO times with a T; the proposal finds its stuck run")
    func sqliteSeedTasks() throws {
        let directory = try TemporaryDirectory.make()
        let url = ["--database", "sqlite://" + directory.appending("tasks.sqlite")]
        let db = try DatabaseDrivers.connect("sqlite://" + directory.appending("tasks.sqlite"))
        defer { db.close() }
        try db.execute("""
            CREATE TABLE tasks (task_id TEXT PRIMARY KEY, strategy TEXT, status TEXT NOT NULL, progress REAL, created_at TEXT,
                started_at TEXT, updated_at TEXT, completed_at TEXT, error TEXT)
            """, [])
        let now = try DatabaseClock.now(on: db)
        func iso(_ minutesAgo: Double) -> DatabaseValue { TimeFormat.iso8601.encode(now.adding(seconds: -minutesAgo * 60)) }
        for (id, status, started, updated) in [("9f1c-aaaa", "running", 120.0, 95.0), ("9f1c-bbbb", "running", 120.0, 0.5), ("9f1c-cccc", "completed", 300.0, 240.0)] {
            try db.execute(
                "INSERT INTO tasks (task_id, strategy, status, progress, created_at, started_at, updated_at) VALUES (?, 'ma_cross', ?, 90, ?, ?, ?)",
                [.text(id), .text(status), iso(started), iso(started), iso(updated)])
        }
        #expect(try taskwarden.run(["migrate"] + url, workingDirectory: directory).status == 0)
        let mapped = try taskwarden.run(["map", "tasks", "--output", directory.appending("taskwarden.yaml")] + url, workingDirectory: directory)
        #expect(mapped.status == 0, "\(mapped.allOutput)")
        let text = try String(contentsOfFile: directory.appending("taskwarden.yaml"), encoding: .utf8)
        #expect(text.contains("id: task_id") && text.contains("time_format: iso8601") && text.contains("succeeded: [completed]"), "\(text)")
        let stuck = try taskwarden.run(["stuck", "--older-than", "10m", "--json"] + url, workingDirectory: directory)
        #expect(stuck.status == 0 && stuck.standardOutput.contains("9f1c-aaaa") && !stuck.standardOutput.contains("9f1c-bbbb"), "\(stuck.allOutput)")
    }
}
