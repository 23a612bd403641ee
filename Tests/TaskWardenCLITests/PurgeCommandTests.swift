import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden purge` as a process, including being killed mid-way.
@Suite("taskwarden purge")
struct PurgeCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// A migrated database with `count` succeeded runs finished 100 days ago and 3 live ones.
    private func prepare(_ backend: TestBackend, count: Int) throws -> IsolatedDatabase {
        let database = try IsolatedDatabase.create(backend)
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let old = try DatabaseClock.now(on: db).adding(seconds: -100 * 86_400)
        let p = db.dialect.placeholder
        try db.inTransaction { db in
            for index in 0..<count {
                try db.execute(
                    "INSERT INTO task_runs (kind, status, started_at, finished_at, payload) VALUES ('job', 'succeeded', \(p(1)), \(p(2)), \(p(3)))",
                    [.timestamp(old), .timestamp(old.adding(seconds: Double(index))), .text("{\"n\": \(index)}")])
            }
            for status in ["queued", "running", "running"] {
                try db.execute(
                    "INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('job', \(p(1)), \(p(2)), \(p(3)))",
                    [.text(status), .timestamp(old), .timestamp(old)])
            }
        }
        return database
    }

    @Test("--export to a full disk: one line with the path and the cause, nothing deleted", arguments: TestBackend.allCases)
    func exportToFullDisk(backend: TestBackend) throws {
        let database = try prepare(backend, count: 20)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let export = directory.appending("runs.jsonl")
        try FileManager.default.createSymbolicLink(atPath: export, withDestinationPath: "/dev/full")
        let outcome = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--export", export, "--database", database.urlString])
        #expect(outcome.status == 1, "\(outcome.allOutput)")
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(export) && outcome.standardError.contains("No space left on device"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("NSCocoaErrorDomain"))
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 23)
    }

    @Test("a hostile configuration file gives one short line", arguments: ["nested", "huge"])
    func hostileConfiguration(shape: String) throws {
        let directory = try TemporaryDirectory.make()
        let text = shape == "nested" ? String(repeating: "[", count: 100_000) : "# " + String(repeating: "x", count: 2_000_000)
        try text.write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        let outcome = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--database", "sqlite::memory:"], workingDirectory: directory)
        #expect(outcome.status == 2, "\(outcome.standardError.prefix(300))")
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.count < 400, "\(outcome.standardError.prefix(300))")
        #expect(outcome.standardError.contains("taskwarden.yaml"))
    }

    @Test("without retention from flags or configuration it refuses; --dry-run deletes nothing", arguments: TestBackend.allCases)
    func refusesAndDryRun(backend: TestBackend) throws {
        let database = try prepare(backend, count: 20)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let refused = try taskwarden.run(["purge"] + url)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("no retention given"))
        let dry = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--dry-run", "--json"] + url)
        #expect(dry.status == 0)
        #expect(dry.standardOutput.contains("\"rows\":20"))
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 23)
        let directory = try TemporaryDirectory.make()
        try "retention:\n  succeeded: 30d\n".write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        #expect(try taskwarden.run(["purge"] + url, workingDirectory: directory).status == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 3)
    }

    @Test(
        "killed with SIGKILL mid-way and run again: export and archive hold every row exactly once, in either order",
        arguments: TestBackend.allCases, ["index", "key-order"])
    func killedMidway(backend: TestBackend, strategy: String) throws {
        for destination in ["export", "archive"] {
            let database = try prepare(backend, count: 300)
            defer { database.drop() }
            let directory = try TemporaryDirectory.make()
            let file = directory.appending("purged.jsonl")
            let target = destination == "export" ? ["--export", file] : ["--archive-table", "task_runs_archive"]
            let arguments =
                ["purge", "--succeeded-older-than", "30d", "--batch-size", "7", "--strategy", strategy, "--database", database.urlString] + target
            let victim = try taskwarden.start(arguments + ["--pause", "20ms"])
            Thread.sleep(forTimeInterval: 0.4)
            victim.send(SIGKILL)
            _ = try victim.wait()
            let rerun = try taskwarden.run(arguments)
            #expect(rerun.status == 0, "\(rerun.allOutput)")
            let order = strategy == "index" ? "finish-time" : "primary-key"
            #expect(rerun.standardOutput.contains("in \(order) order (forced with --strategy)"), "\(rerun.standardOutput)")

            let db = try database.connect()
            defer { db.close() }
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 3)
            let ids: [Int64]
            if destination == "export" {
                ids = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    return try #require((object["id"] as? NSNumber)?.int64Value)
                }
            } else {
                ids = try db.query("SELECT id FROM task_runs_archive", []).map { try $0.decode(Int64.self, "id") }
            }
            #expect(ids.count == 300, "\(destination): \(ids.count) rows")
            #expect(Set(ids).count == 300, "\(destination) has duplicates")
        }
    }

    @Test("--strategy auto says which order it chose and why, in text and JSON", arguments: TestBackend.allCases)
    func reportsOrder(backend: TestBackend) throws {
        let database = try prepare(backend, count: 20)
        defer { database.drop() }
        let text = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--dry-run", "--database", database.urlString])
        #expect(text.status == 0, "\(text.allOutput)")
        #expect(text.standardOutput.contains("would walk succeeded run(s) in finish-time order (auto: "), "\(text.standardOutput)")
        let json = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--strategy", "key-order", "--json", "--database", database.urlString])
        #expect(json.status == 0, "\(json.allOutput)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let orders = try #require(object["orders"] as? [[String: Any]])
        #expect(orders.first?["order"] as? String == "primary-key")
        #expect(orders.first?["reason"] as? String == "forced")
        #expect((object["passes"] as? [[String: Any]])?.first?["order"] as? String == "primary-key")
        #expect(object["rows"] as? Int == 20)
        #expect(try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--strategy", "sideways", "--database", database.urlString]).status == 2)
    }

    @Test("the partitioned template through migrate --dir; purge names the partitions it would drop and drops, in text and JSON; --keep-partitions drops none", arguments: [TestBackend.postgresql, .mysql])
    func partitionedTable(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("migrations/templates/partitioned").path
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let partitioned = try taskwarden.run(["migrate", "--dir", templates, "--set", "partitioned", "--database", database.urlString])
        #expect(partitioned.status == 0, "\(partitioned.allOutput)")
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        for days in [200.0, 170, 140, 5] {
            let at = now.adding(seconds: -days * 86_400)
            try db.execute(
                "INSERT INTO task_runs (kind, status, created_at, started_at, finished_at) VALUES ('job', 'succeeded', \(p(1)), \(p(2)), \(p(3)))", [.timestamp(at), .timestamp(at), .timestamp(at)])
        }
        let arguments = ["purge", "--succeeded-older-than", "90d", "--database", database.urlString]
        let dry = try taskwarden.run(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.allOutput)")
        #expect(dry.standardOutput.components(separatedBy: "would drop partition ").count - 1 == 3, "\(dry.standardOutput)")
        let kept = try taskwarden.run(arguments + ["--keep-partitions", "--json"])
        let keptObject = try #require(try JSONSerialization.jsonObject(with: Data(kept.standardOutput.utf8)) as? [String: Any])
        #expect((keptObject["droppedPartitions"] as? [Any])?.isEmpty == true)
        #expect(keptObject["rows"] as? Int == 3)
        for days in [200.0, 170, 140] {
            let at = now.adding(seconds: -days * 86_400)
            try db.execute(
                "INSERT INTO task_runs (kind, status, created_at, started_at, finished_at) VALUES ('job', 'succeeded', \(p(1)), \(p(2)), \(p(3)))", [.timestamp(at), .timestamp(at), .timestamp(at)])
        }
        let json = try taskwarden.run(arguments + ["--json"])
        #expect(json.status == 0, "\(json.allOutput)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let dropped = try #require(object["droppedPartitions"] as? [[String: Any]])
        #expect(dropped.count == 3)
        #expect(dropped.allSatisfy { ($0["lockedMilliseconds"] as? Double ?? -1) >= 0 && $0["name"] is String })
        #expect(object["rows"] as? Int == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 1)
    }

    @Test("SIGTERM stops between batches with a summary and exit 143")
    func sigtermStopsBetweenBatches() throws {
        let database = try prepare(.postgresql, count: 200)
        defer { database.drop() }
        let process = try taskwarden.start([
            "purge", "--succeeded-older-than", "30d", "--batch-size", "5", "--pause", "50ms", "--database", database.urlString,
        ])
        Thread.sleep(forTimeInterval: 0.5)
        process.send(SIGTERM)
        let outcome = try process.wait()
        #expect(outcome.status == 143, "\(outcome.allOutput)")
        #expect(outcome.standardOutput.contains("stopped early"))
        let db = try database.connect()
        defer { db.close() }
        let remaining = try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'")
        #expect(remaining > 0 && remaining < 200)
        #expect(remaining % 5 == 0, "a half batch was left behind: \(remaining) remain")
    }
}
