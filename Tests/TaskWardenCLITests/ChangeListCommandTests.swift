import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `--list` and `journal --jsonl`: a bulk change's full list on request, streamed from the journal.
@Suite("Full lists of bulk changes")
struct ChangeListCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test("reset --list prints every changed run once; undo --json --list is JSON Lines; journal --jsonl streams the batch", arguments: TestBackend.allCases)
    func fullList(backend: TestBackend) throws {
        let database = try MigratedDatabase(backend, runner: taskwarden)
        defer { database.close() }
        let url = ["--database", database.urlString]
        let db = database.connection
        let count = 2_345   // more than two pages of 1 000
        let p = db.dialect.placeholder
        try db.inTransaction { db in
            for index in 0..<(count + 3) {
                try db.execute("INSERT INTO task_runs (kind, status) VALUES (\(p(1)), 'running')", [.text(index < count ? "sync" : "other")])
            }
        }
        let reset = try taskwarden.run(
            ["reset", "--status", "running", "--kind", "sync", "--to", "cancelled", "--reason", "INC-9", "--batch-size", "700", "--yes", "--list"] + url)
        #expect(reset.status == 0, "\(reset.allOutput.prefix(2_000))")
        let listed = reset.standardOutput.split(separator: "\n").filter { $0.hasPrefix("task_runs ") && $0.hasSuffix(": running -> cancelled") }
        let listedIDs = listed.map { $0.dropFirst("task_runs ".count).prefix { $0 != ":" } }.compactMap { Int64($0) }
        let changedIDs = try db.query("SELECT id FROM task_runs WHERE status = 'cancelled'", []).map { try $0.decode(Int64.self, "id") }
        #expect(listedIDs.count == count && Set(listedIDs) == Set(changedIDs), "\(listedIDs.count) listed, \(changedIDs.count) changed")
        #expect(reset.standardOutput.contains("... and \(count - 20) more"))   // the summary stays a summary
        let batch = try db.queryValue(String.self, "SELECT MIN(batch_id) FROM task_run_events WHERE operation = 'reset'")

        let undo = try taskwarden.run(["undo", batch, "--json", "--list"] + url)
        #expect(undo.status == 0, "\(undo.allOutput.prefix(2_000))")
        let lines = try jsonLines(undo.standardOutput)
        #expect(lines.first?["restored"] as? Int == count)
        let undoBatch = try #require(lines.first?["batchID"] as? String)
        let entries = lines.dropFirst()
        #expect(entries.count == count)
        #expect(Set(entries.compactMap { $0["runID"] as? String }).count == count)
        #expect(entries.allSatisfy { $0["batchID"] as? String == undoBatch && $0["operation"] as? String == "undo" })

        let journal = try taskwarden.run(["journal", "--batch", batch, "--jsonl"] + url)
        #expect(journal.status == 0, "\(journal.allOutput.prefix(2_000))")
        let journaled = try jsonLines(journal.standardOutput)
        #expect(journaled.count == count && Set(journaled.compactMap { $0["runID"] as? String }) == Set(changedIDs.map(String.init)))
        #expect(try jsonLines(try taskwarden.run(["journal", "--batch", batch, "--jsonl", "--limit", "10"] + url).standardOutput).count == 10)
        // Without --jsonl a listing stays bounded.
        #expect(try jsonLines(try taskwarden.run(["journal", "--batch", batch, "--json"] + url).standardOutput).first.flatMap { $0["entries"] as? [Any] }?.count == 1_000)
        let both = try taskwarden.run(["journal", "--json", "--jsonl"] + url)
        #expect(both.status == 2 && both.standardError.contains("not both"), "\(both.allOutput)")
    }
}
