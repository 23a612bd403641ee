import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden delete` as a process, on `task_runs` and on a mapped table with text ids and a
/// parent, and its undo.
@Suite("taskwarden delete")
struct DeleteCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// A migrated database and a folder to run in (with a mapping for `scan_runs` when
    /// `mapped`); the ids of a succeeded, failed, cancelled, running and queued run, and
    /// `finished` more succeeded runs of kind `job`.
    struct Scene {
        let database: IsolatedDatabase
        let directory: String
        let table: String
        let ids: [String: String]
        let url: [String]
    }

    private func prepare(_ backend: TestBackend, mapped: Bool, finished: Int = 0) throws -> Scene {
        let database = try IsolatedDatabase.create(backend)
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let directory = try TemporaryDirectory.make()
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        let table = mapped ? "scan_runs" : "task_runs"
        if mapped {
            try db.execute("CREATE TABLE scan_tasks (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
            try db.execute("""
                CREATE TABLE scan_runs (id VARCHAR(40) PRIMARY KEY, task_id VARCHAR(40), status VARCHAR(20) NOT NULL, kind VARCHAR(20),
                    started_at TIMESTAMP NULL, finished_at TIMESTAMP NULL)
                """, [])
            try db.execute("INSERT INTO scan_tasks (id, status) VALUES ('t-1', 'succeeded')", [])
            try "table: {name: scan_runs, parent: {name: scan_tasks, key: task_id}}\n".write(
                toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        }
        var ids: [String: String] = [:]
        let statuses = ["succeeded", "failed", "cancelled", "running", "queued"] + Array(repeating: "succeeded", count: finished)
        try db.inTransaction { db in
            for (index, status) in statuses.enumerated() {
                let done: DatabaseValue = index == 3 || index == 4 ? .null : .timestamp(now.adding(seconds: -600))
                let values: [DatabaseValue] = [.text(status), .timestamp(now.adding(seconds: -3_600)), done]
                if mapped {
                    let id = String(format: "run-%04d-x", index)
                    try db.execute(
                        "INSERT INTO scan_runs (id, task_id, status, kind, started_at, finished_at) VALUES (\(p(1)), 't-1', \(p(2)), 'job', \(p(3)), \(p(4)))",
                        [.text(id)] + values)
                    if index < 5 { ids[status] = id }
                } else {
                    try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('job', \(p(1)), \(p(2)), \(p(3)))", values)
                    if index < 5 { ids[status] = String(index + 1) }
                }
            }
        }
        return Scene(database: database, directory: directory, table: table, ids: ids, url: ["--database", database.urlString])
    }

    private func count(_ scene: Scene, _ table: String? = nil) throws -> Int {
        let db = try scene.database.connect()
        defer { db.close() }
        return try db.queryValue(Int.self, "SELECT COUNT(*) FROM \(table ?? scene.table)")
    }

    private func json(_ outcome: CommandRunner.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any], "\(outcome.allOutput)")
    }

    @Test(
        "delete names the runs it leaves and why, refuses without --yes off a terminal, journals, archives; undo puts the rows back; --json",
        arguments: TestBackend.allCases, [false, true])
    func deleteAndUndo(backend: TestBackend, mapped: Bool) throws {
        let scene = try prepare(backend, mapped: mapped)
        defer { scene.database.drop() }
        let ids = scene.ids
        let run = { (arguments: [String]) in try self.taskwarden.run(arguments + scene.url, workingDirectory: scene.directory) }
        let missing = mapped ? "run-none" : "404"
        let named = ["delete", "--id", ids["succeeded"]!, "--id", ids["running"]!, "--id", ids["queued"]!, "--id", missing, "--reason", "INC-12"]

        let refused = try run(named)
        #expect(refused.status == 2 && refused.standardError.contains("--yes"), "\(refused.allOutput)")
        #expect(try count(scene) == 5)
        let dry = try run(named + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.allOutput)")
        #expect(dry.standardOutput.contains("not deleted: \(scene.table) \(ids["running"]!) is running: only finished runs are deleted"), "\(dry.standardOutput)")
        #expect(dry.standardOutput.contains("not deleted: \(scene.table) \(ids["queued"]!) is queued"), "\(dry.standardOutput)")
        #expect(dry.standardOutput.contains("not deleted: \(scene.table) \(missing): no such run"), "\(dry.standardOutput)")
        #expect(dry.standardOutput.contains("would delete 1 finished run(s) of \(scene.table)"), "\(dry.standardOutput)")
        let dryJSON = try json(try run(named + ["--dry-run", "--json"]))
        #expect(dryJSON["count"] as? Int == 1 && dryJSON["dryRun"] as? Bool == true)
        let refusedJSON = try #require(dryJSON["refused"] as? [[String: Any]])
        #expect(refusedJSON.map { $0["reason"] as? String } == ["not finished", "not finished", "missing"])
        #expect(refusedJSON.first?["status"] as? String == "running")

        // Every finished status, archived.
        let deleted = try run(["delete", "--kind", "job", "--archive-table", "deleted_runs", "--reason", "INC-12", "--actor", "oncall", "--yes", "--json"])
        #expect(deleted.status == 0, "\(deleted.allOutput)")
        let result = try json(deleted)
        #expect(result["deleted"] as? Int == 3 && result["archiveTable"] as? String == "deleted_runs" && result["skipped"] as? Int == 0)
        #expect((result["sample"] as? [[String: Any]])?.map { $0["newStatus"] as? String } == ["deleted", "deleted", "deleted"])
        let batch = try #require(result["batchID"] as? String)
        #expect(try count(scene) == 2)
        #expect(try count(scene, "deleted_runs") == 3)
        let journal = try run(["journal", "--batch", batch])
        #expect(journal.standardOutput.contains("delete") && journal.standardOutput.contains("succeeded -> -"), "\(journal.standardOutput)")
        #expect(journal.standardOutput.contains("oncall") && journal.standardOutput.contains("INC-12"))

        let undone = try run(["undo", batch, "--json"])
        #expect(undone.status == 0, "\(undone.allOutput)")
        #expect(try json(undone)["restored"] as? Int == 3)
        #expect(try count(scene) == 5)
        #expect(try count(scene, "deleted_runs") == 0)
        #expect(try run(["undo", batch]).standardOutput.contains("restored 0, left alone 3"))
        let shown = try run(["show", ids["failed"]!])
        #expect(shown.standardOutput.contains("delete") && shown.standardOutput.contains("undo"), "\(shown.standardOutput)")

        // Without an archive: deleted, journaled, and undo refuses in one line.
        let plain = try run(["delete", "--id", ids["failed"]!, "--reason", "INC-13", "--yes"])
        #expect(plain.status == 0, "\(plain.allOutput)")
        #expect(plain.standardOutput.contains("deleted 1 run(s)") && plain.standardOutput.contains("cannot be undone"), "\(plain.standardOutput)")
        let plainBatch = try #require(plain.standardOutput.split(whereSeparator: \.isWhitespace).drop { $0 != "batch" }.dropFirst().first.map(String.init))
        let gone = try run(["show", ids["failed"]!])
        #expect(gone.status == 2 && gone.standardError.contains("deleted (failed)") && gone.standardError.contains("INC-13"), "\(gone.allOutput)")
        #expect(gone.standardError.contains("batch \(plainBatch)") && gone.standardError.contains("(not archived)"), "\(gone.allOutput)")
        let noUndo = try run(["undo", plainBatch])
        #expect(noUndo.status == 2, "\(noUndo.allOutput)")
        #expect(noUndo.standardError.split(separator: "\n").count == 1 && noUndo.standardError.contains("without an archive table"), "\(noUndo.standardError)")
        #expect(try count(scene) == 4)

        #expect(try run(["delete", "--status", "running", "--reason", "x", "--yes"]).status == 2)
        #expect(try run(["delete", "--reason", "x", "--yes"]).status == 2)
        #expect(try run(["delete", "--kind", "job", "--reason", "x", "--archive-table", "a", "--export", "f.jsonl", "--yes"]).status == 2)
        #expect(try count(scene) == 4)
    }

    @Test("at a terminal, delete lists what it leaves, shows a sample and asks; only 'y' proceeds")
    func asksAtTerminal() throws {
        let scene = try prepare(.sqlite, mapped: false)
        defer { scene.database.drop() }
        let delete = ["delete", "--id", "1", "--id", "4", "--reason", "incident 42"] + scene.url
        let declined = try taskwarden.runInTerminal(delete, input: "n\n")
        #expect(declined.status == 2, "\(declined.allOutput)")
        #expect(declined.standardOutput.contains("Proceed? [y/N]") && declined.standardOutput.contains("succeeded"), "\(declined.allOutput)")
        #expect(declined.standardOutput.contains("task_runs 4 is running"), "\(declined.allOutput)")
        #expect(try count(scene) == 5)
        let accepted = try taskwarden.runInTerminal(delete, input: "y\n")
        #expect(accepted.status == 0, "\(accepted.allOutput)")
        #expect(try count(scene) == 4)
    }

    @Test("SIGTERM stops between batches: exit 143, every deleted run journaled and archived once, the rest left", arguments: TestBackend.allCases)
    func sigtermStopsBetweenBatches(backend: TestBackend) throws {
        let scene = try prepare(backend, mapped: false, finished: 2_000)
        defer { scene.database.drop() }
        let process = try taskwarden.start(
            ["delete", "--kind", "job", "--batch-size", "1", "--archive-table", "deleted_runs", "--reason", "x", "--yes"] + scene.url)
        let deadline = Date().addingTimeInterval(20)
        while try count(scene) == 2_005 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        process.send(SIGTERM)
        let outcome = try process.wait()
        #expect(outcome.status == 143, "\(outcome.allOutput)")
        #expect(outcome.standardOutput.contains("stopped early"), "\(outcome.standardOutput)")
        let left = try count(scene)
        #expect(left > 2 && left < 2_005, "\(left) runs left")
        let db = try scene.database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE operation = 'delete'") == 2_005 - left)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(DISTINCT id) FROM deleted_runs") == 2_005 - left)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM deleted_runs") == 2_005 - left)
    }

    @Test(
        "killed with SIGKILL mid-way and run again: export and archive hold every deleted row exactly once",
        arguments: TestBackend.allCases, [false, true])
    func killedMidway(backend: TestBackend, mapped: Bool) throws {
        for destination in ["export", "archive"] {
            let scene = try prepare(backend, mapped: mapped, finished: 2_000)
            defer { scene.database.drop() }
            let file = scene.directory.appending("deleted.jsonl")
            let target = destination == "export" ? ["--export", file] : ["--archive-table", "deleted_runs"]
            let arguments = ["delete", "--kind", "job", "--reason", "killed", "--yes"] + target + scene.url
            let victim = try taskwarden.start(arguments + ["--batch-size", "1"], workingDirectory: scene.directory)
            // Killed once it has deleted some, one run per batch: mid-way.
            let deadline = Date().addingTimeInterval(20)
            while try count(scene) == 2_005 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            victim.send(SIGKILL)
            _ = try victim.wait()
            let left = try count(scene)
            #expect(left > 2 && left < 2_005, "not killed mid-way: \(left) runs left")
            let rerun = try taskwarden.run(arguments + ["--batch-size", "100"], workingDirectory: scene.directory)
            #expect(rerun.status == 0, "\(rerun.allOutput)")
            #expect(try count(scene) == 2, "the running and the queued run stay")

            let copied: [String]
            if destination == "export" {
                copied = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    return "\(object["id"] ?? "")"
                }
            } else {
                let db = try scene.database.connect()
                defer { db.close() }
                copied = try db.query("SELECT id FROM deleted_runs", []).map { String.fromDatabaseValue($0["id"]!)! }
            }
            #expect(copied.count == 2_003, "\(destination): \(copied.count) rows")
            #expect(Set(copied).count == 2_003, "\(destination) has duplicates")
        }
    }
}
