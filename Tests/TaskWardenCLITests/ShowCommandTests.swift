import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden show ID` on a mapped table with text ids, a parent and a log column.
@Suite("taskwarden show")
struct ShowCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("show prints every mapped column, the stuck verdict, the parent and the journal; long text as its tail; an unknown id exits 2", arguments: TestBackend.allCases)
    func showsOneRun(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        try db.execute("CREATE TABLE scan_tasks (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
        try db.execute("""
            CREATE TABLE scan_runs (id VARCHAR(40) PRIMARY KEY, task_id VARCHAR(40), status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL,
                heartbeat_at TIMESTAMP NULL, error TEXT, output_log TEXT)
            """, [])
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        let log = String(repeating: "step ok\n", count: 200) + "LAST LINE"
        try db.execute("INSERT INTO scan_tasks (id, status) VALUES ('t-7', 'running')", [])
        try db.execute(
            "INSERT INTO scan_runs (id, task_id, status, started_at, heartbeat_at, output_log) VALUES ('r-9f1c', 't-7', 'running', \(p(1)), \(p(2)), \(p(3)))",
            [.timestamp(now.adding(seconds: -7_200)), .timestamp(now.adding(seconds: -5_400)), .text(log)])
        let directory = try TemporaryDirectory.make()
        try """
            table:
              name: scan_runs
              columns: {log: output_log}
              parent: {name: scan_tasks, key: task_id}
            stuck: {older_than: 30m}
            """.write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        let recovered = try taskwarden.run(["recover", "--reason", "host gone", "--actor", "oncall"] + url, workingDirectory: directory)
        #expect(recovered.status == 0, "\(recovered.allOutput)")

        let shown = try taskwarden.run(["show", "r-9f1c"] + url, workingDirectory: directory)
        #expect(shown.status == 0, "\(shown.allOutput)")
        let text = shown.standardOutput
        #expect(text.hasPrefix("run r-9f1c of scan_runs: failed"), "\(text)")
        #expect(text.contains("log") && text.contains("[output_log]") && text.contains("LAST LINE") && text.contains("characters before"), "\(text)")
        #expect(text.contains("not running (failed): never stuck"), "\(text)")
        #expect(text.contains("parent: scan_tasks t-7 (failed)"), "\(text)")
        #expect(text.contains("journal: 1 entry") && text.contains("recover  running -> failed  by oncall") && text.contains("host gone"), "\(text)")
        let full = try taskwarden.run(["show", "r-9f1c", "--full", "--json"] + url, workingDirectory: directory)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(full.standardOutput.utf8)) as? [String: Any])
        #expect((json["columns"] as? [String: Any])?["log"] as? String == log)
        #expect(json["parentStatus"] as? String == "failed" && json["stuck"] as? Bool == false)
        #expect((json["journal"] as? [Any])?.count == 1)

        let missing = try taskwarden.run(["show", "nope"] + url, workingDirectory: directory)
        #expect(missing.status == 2 && missing.standardError.contains("no run with id nope"), "\(missing.allOutput)")
        try expectHistory(of: "r-9f1c", url: url, directory: directory)
    }

    @Test("on TaskWarden's own table, show gives the full history of a run that was recovered, undone and reset", arguments: TestBackend.allCases)
    func historyOnOwnTable(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let started = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        try db.execute("INSERT INTO task_runs (id, kind, status, started_at) VALUES (42, 'sync', 'running', \(db.dialect.placeholder(1)))", [started])
        let directory = try TemporaryDirectory.make()
        #expect(try taskwarden.run(["recover", "--reason", "host gone", "--actor", "oncall"] + url, workingDirectory: directory).status == 0)
        try expectHistory(of: "42", url: url, directory: directory)
    }

    /// Undoes the run's recovery and resets it, then checks that `show` lists all three changes,
    /// oldest first, with actor and reason, in text and JSON.
    private func expectHistory(of id: String, url: [String], directory: String) throws {
        let journal = try taskwarden.run(["journal", "--json"] + url, workingDirectory: directory)
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(journal.standardOutput.utf8)) as? [String: Any])?["entries"] as? [[String: Any]])
        let batch = try #require(entries.first { $0["runID"] as? String == id }?["batchID"] as? String, "\(journal.allOutput)")
        #expect(try taskwarden.run(["undo", batch, "--actor", "lead"] + url, workingDirectory: directory).status == 0)
        let reset = try taskwarden.run(
            ["reset", "--id", id, "--status", "running", "--to", "cancelled", "--reason", "INC-311", "--yes", "--actor", "lead"] + url,
            workingDirectory: directory)
        #expect(reset.status == 0, "\(reset.allOutput)")

        let shown = try taskwarden.run(["show", id, "--json"] + url, workingDirectory: directory)
        #expect(shown.status == 0, "\(shown.allOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.standardOutput.utf8)) as? [String: Any])
        let history = try #require(json["journal"] as? [[String: Any]])
        #expect(history.compactMap { $0["operation"] as? String } == ["recover", "undo", "reset"], "\(history)")
        #expect(history.compactMap { $0["actor"] as? String } == ["oncall", "lead", "lead"], "\(history)")
        #expect((history.last?["reason"] as? String)?.contains("INC-311") == true)
        let text = try taskwarden.run(["show", id] + url, workingDirectory: directory).standardOutput
        #expect(text.contains("journal: 3 entries") && text.contains("recover") && text.contains("undo") && text.contains("reset"), "\(text)")
    }
}
