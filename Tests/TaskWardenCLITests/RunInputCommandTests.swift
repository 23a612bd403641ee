import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Bad input to the run commands: refused with exit 2 and one line, before anything changes;
/// run data printed safely; the small promises of the docs kept.
@Suite("taskwarden run commands: input and output")
struct RunInputCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// A migrated database with three running runs (ids 1, 2, 3), the first two stuck.
    private func prepare(_ backend: TestBackend, kind: String = "report") throws -> IsolatedDatabase {
        let database = try IsolatedDatabase.create(backend)
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        for minutesAgo in [120.0, 90, 1] {
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at) VALUES (\(p(1)), 'running', \(p(2)))",
                [.text(kind), .timestamp(now.adding(seconds: -minutesAgo * 60))])
        }
        return database
    }

    private func statuses(_ database: IsolatedDatabase) throws -> [String] {
        let db = try database.connect()
        defer { db.close() }
        return try db.query("SELECT status FROM task_runs ORDER BY id").map { try $0.decode(String.self, "status") }
    }

    private func expectRefused(_ outcome: CommandRunner.Outcome, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 2, "\(outcome.allOutput)", sourceLocation: sourceLocation)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("taskwarden: error: "), "\(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(outcome.standardError.contains(text), "\(outcome.standardError)", sourceLocation: sourceLocation)
    }

    @Test("reset and cancel refuse --id values that are not integers with exit 2, changing no run", arguments: TestBackend.allCases)
    func malformedIDs(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        for id in ["2,3", "1abc", "1; DROP TABLE task_runs", "abc"] {
            expectRefused(try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--id", id, "--reason", "INC-5", "--yes"] + url), "--id")
            expectRefused(try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--id", id, "--reason", "INC-5", "--dry-run"] + url), "--id")
            expectRefused(try taskwarden.run(["cancel", "--id", id, "--reason", "INC-5"] + url), "--id")
        }
        #expect(try statuses(database) == ["running", "running", "running"])
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE cancel_requested_at IS NOT NULL") == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events") == 0)
    }

    @Test("an --actor or --reason longer than the journal holds is exit 2, on every command and its dry run", arguments: TestBackend.allCases)
    func overLongInput(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let actor = ["--actor", String(repeating: "a", count: 201)]
        let reason = String(repeating: "r", count: 100_000)
        expectRefused(try taskwarden.run(["recover"] + actor + url), "--actor")
        expectRefused(try taskwarden.run(["recover", "--dry-run"] + actor + url), "--actor")
        expectRefused(try taskwarden.run(["recover", "--reason", reason] + url), "--reason")
        expectRefused(try taskwarden.run(["recover", "--dry-run", "--reason", reason] + url), "--reason")
        expectRefused(try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", reason, "--yes"] + url), "--reason")
        expectRefused(try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", "x", "--yes"] + actor + url), "--actor")
        expectRefused(try taskwarden.run(["cancel", "--id", "1", "--reason", reason] + url), "--reason")
        #expect(try statuses(database) == ["running", "running", "running"])
    }

    @Test("recover --to queued --dry-run fails where the real run fails: a table without attempt columns", arguments: TestBackend.allCases)
    func dryRunFailsLikeRealRun(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        // A table of the application's own, without attempt columns (task_runs has them, and
        // columns of TaskWarden's names are mapped without being named).
        let db = try database.connect()
        defer { db.close() }
        try db.execute("CREATE TABLE lean_runs AS SELECT id, kind, status, started_at, finished_at, error FROM task_runs", [])
        let directory = try TemporaryDirectory.make()
        try "table:\n  name: lean_runs\n".write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        let dry = try taskwarden.run(["recover", "--to", "queued", "--dry-run"] + url, workingDirectory: directory)
        let real = try taskwarden.run(["recover", "--to", "queued"] + url, workingDirectory: directory)
        expectRefused(dry, "max_attempts")
        #expect(dry.status == real.status && dry.standardError == real.standardError)
        #expect(try db.query("SELECT status FROM lean_runs ORDER BY id", []).map { try $0.decode(String.self, "status") } == ["running", "running", "running"])
    }

    @Test("stuck, recover, journal and undo print control characters from the database escaped", arguments: TestBackend.allCases)
    func controlCharactersEscaped(backend: TestBackend) throws {
        let database = try prepare(backend, kind: "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m")
        defer { database.drop() }
        let url = ["--database", database.urlString]
        func expectPrintable(_ outcome: CommandRunner.Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(outcome.status == 0 || outcome.status == 9, "\(outcome.allOutput)", sourceLocation: sourceLocation)
            // C0 (but the newline ending each line), DEL and C1: what terminals act on.
            let bad = outcome.allOutput.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }
            #expect(bad.isEmpty, "\(outcome.allOutput.debugDescription)", sourceLocation: sourceLocation)
        }
        let stuck = try taskwarden.run(["stuck"] + url)
        expectPrintable(stuck)
        #expect(stuck.standardOutput.contains("evil\\u{1B}]0;pwned"))
        expectPrintable(try taskwarden.run(["recover", "--dry-run"] + url))
        // A dry run lists the runs it would change; a real one gives counts and a sample.
        let preview = try taskwarden.run(["recover", "--dry-run", "--json"] + url)
        let previewJSON = try #require(try JSONSerialization.jsonObject(with: Data(preview.standardOutput.utf8)) as? [String: Any])
        let stuckJSON = try #require(previewJSON["stuck"] as? [[String: Any]])
        #expect(stuckJSON.first?["kind"] as? String == "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m", "JSON keeps the value, JSON-escaped")
        let recovered = try taskwarden.run(["recover", "--reason", "bad\u{1B}[2Jreason\rover", "--actor", "on\u{1B}call", "--json"] + url)
        #expect(recovered.status == 0, "\(recovered.allOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(recovered.standardOutput.utf8)) as? [String: Any])
        let batch = try #require(json["batchID"] as? String)
        #expect(json["changed"] as? Int == stuckJSON.count)
        expectPrintable(try taskwarden.run(["journal", "--batch", batch] + url))
        expectPrintable(try taskwarden.run(["stats"] + url))
        expectPrintable(try taskwarden.run(["undo", batch, "--dry-run"] + url))
    }

    @Test("reset --yes that matches nothing says so, not 'dry run'; journal and stuck both refuse --limit 0", arguments: TestBackend.allCases)
    func smallPromises(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let nothing = try taskwarden.run(["reset", "--status", "queued", "--to", "failed", "--reason", "x", "--yes"] + url)
        #expect(nothing.status == 0, "\(nothing.allOutput)")
        #expect(!nothing.standardOutput.contains("dry run"), "\(nothing.standardOutput)")
        #expect(nothing.standardOutput.contains("matched"), "\(nothing.standardOutput)")
        let nothingJSON = try taskwarden.run(["reset", "--status", "queued", "--to", "failed", "--reason", "x", "--yes", "--json"] + url)
        #expect(nothingJSON.standardOutput.contains("\"dryRun\":false"), "\(nothingJSON.standardOutput)")
        expectRefused(try taskwarden.run(["journal", "--limit", "0"] + url), "--limit")
        expectRefused(try taskwarden.run(["stuck", "--limit", "0"] + url), "--limit")
    }

    @Test("undo --json names each restored run's table", arguments: TestBackend.allCases)
    func undoJSONNamesTables(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let recovered = try taskwarden.run(["recover", "--json"] + url)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(recovered.standardOutput.utf8)) as? [String: Any])
        let batch = try #require(json["batchID"] as? String)
        let undo = try taskwarden.run(["undo", batch, "--json"] + url)
        #expect(undo.status == 0, "\(undo.allOutput)")
        let undone = try #require(try JSONSerialization.jsonObject(with: Data(undo.standardOutput.utf8)) as? [String: Any])
        #expect(undone["restored"] as? Int == 2, "\(undo.standardOutput)")
        #expect(undone["byTable"] as? [String: Int] == ["task_runs": 2])
        let sample = try #require(undone["sample"] as? [[String: Any]], "\(undo.standardOutput)")
        #expect(sample.count == 2)
        #expect(sample.allSatisfy { $0["table"] as? String == "task_runs" && $0["id"] is String })
    }

    @Test("doctor shows the oldest stuck run's silence in at most two units")
    func doctorAges() throws {
        let database = try IsolatedDatabase.create(.sqlite)
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('k', 'running', ?)", [.timestamp(now.adding(seconds: -(200 * 86_400 + 4.436)))])
        let doctor = try taskwarden.run(["doctor", "--database", database.urlString])
        let line = try #require(doctor.standardOutput.split(separator: "\n").first { $0.contains("stuck runs") })
        #expect(line.hasSuffix("silent for 200d"), "\(line)")
    }

    @Test("at a terminal, 'yes' proceeds as 'y' does")
    func confirmationAcceptsYes() throws {
        let database = try prepare(.sqlite)
        defer { database.drop() }
        let reset = ["reset", "--status", "running", "--to", "failed", "--reason", "incident 42", "--database", database.urlString]
        let accepted = try taskwarden.runInTerminal(reset, input: "yes\n")
        #expect(accepted.status == 0, "\(accepted.allOutput)")
        #expect(try statuses(database) == ["failed", "failed", "failed"])
    }
}
