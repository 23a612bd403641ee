import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden list` as operators and scripts run it.
@Suite("taskwarden list")
struct ListCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("text pages end with the next --after; --jsonl is one run per line; a malformed --after exits 2", arguments: TestBackend.allCases)
    func pagesAndFormats(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        for (kind, status) in [("crawl", "running"), ("report", "failed"), ("crawl\u{1B}[31m", "running")] {
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at, error) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)))",
                [.text(kind), .text(status), .timestamp(now.adding(seconds: -600)), status == "failed" ? .text("Traceback\nline 2") : .null])
        }
        let first = try taskwarden.run(["list", "--limit", "2"] + url)
        #expect(first.status == 0, "\(first.allOutput)")
        let lines = first.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true && lines.count == 4, "\(first.standardOutput)")
        #expect(lines[1].hasPrefix("3 ") && lines[1].contains("\\u{1B}[31m"), "escaped kind: \(lines[1])")
        #expect(lines[2].contains("Traceback") && !first.standardOutput.contains("line 2"), "\(first.standardOutput)")
        #expect(lines[3] == "more: taskwarden list --after 2 (same filters)")
        let second = try taskwarden.run(["list", "--limit", "2", "--after", "2", "--jsonl"] + url)
        let objects = second.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 1 && objects.first?["id"] as? String == "1", "\(second.standardOutput)")
        let running = try taskwarden.run(["list", "--status", "running", "--json"] + url)
        let json = try JSONSerialization.jsonObject(with: Data(running.standardOutput.utf8)) as? [String: Any]
        #expect((json?["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == ["3", "1"], "\(running.standardOutput)")
        let bad = try taskwarden.run(["list", "--after", "2; DROP TABLE task_runs"] + url)
        #expect(bad.status == 2 && bad.standardError.split(separator: "\n").count == 1, "\(bad.allOutput)")
    }
}
