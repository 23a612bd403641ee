import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// stuck, recover, reset, undo, journal, stats and doctor, run as processes.
@Suite("taskwarden run commands")
struct RunCommandsTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// A migrated database with one stuck run (id 1) and one live run (id 2).
    private func prepare(_ backend: TestBackend) throws -> IsolatedDatabase {
        let database = try IsolatedDatabase.create(backend)
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        for (kind, minutesAgo) in [("report", 120.0), ("ping", 1.0)] {
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at) VALUES (\(p(1)), 'running', \(p(2)))",
                [.text(kind), .timestamp(now.adding(seconds: -minutesAgo * 60))])
        }
        return database
    }

    @Test("stuck, recover --dry-run, recover, journal, undo", arguments: TestBackend.allCases)
    func recoverCycle(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let stuck = try taskwarden.run(["stuck", "--exit-code", "--json"] + url)
        #expect(stuck.status == 9, "\(stuck.allOutput)")
        #expect(stuck.standardOutput.contains("\"id\":\"1\""))
        #expect(try taskwarden.run(["stuck", "--older-than", "3h", "--exit-code"] + url).status == 0)

        let dry = try taskwarden.run(["recover", "--dry-run"] + url)
        #expect(dry.status == 0)
        #expect(dry.standardOutput.contains("nothing was changed"))
        #expect(try taskwarden.run(["stuck", "--exit-code"] + url).status == 9)

        let recovered = try taskwarden.run(["recover", "--reason", "worker host died", "--actor", "oncall", "--json"] + url)
        #expect(recovered.status == 0, "\(recovered.allOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(recovered.standardOutput.utf8)) as? [String: Any])
        let batch = try #require(json["batchID"] as? String)
        #expect(json["changed"] as? Int == 1)
        #expect((json["sample"] as? [Any])?.count == 1)

        let journal = try taskwarden.run(["journal", "--batch", batch] + url)
        #expect(journal.standardOutput.contains("oncall") && journal.standardOutput.contains("worker host died"))
        #expect(try taskwarden.run(["journal", "--since", "1h", "--json"] + url).standardOutput.contains(batch))

        let undo = try taskwarden.run(["undo", batch] + url)
        #expect(undo.status == 0, "\(undo.allOutput)")
        #expect(undo.standardOutput.contains("restored 1"))
        #expect(try taskwarden.run(["stuck", "--exit-code"] + url).status == 9)
        #expect(!(try taskwarden.run(["stats"] + url).allOutput.contains("tw-test-pw")))
    }

    @Test("reset refuses without confirmation, works with --yes, journals every row", arguments: TestBackend.allCases)
    func resetNeedsConfirmation(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let reset = ["reset", "--status", "running", "--to", "cancelled", "--reason", "bad deploy"] + url
        let refused = try taskwarden.run(reset)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--yes"))
        let dry = try taskwarden.run(reset + ["--dry-run"])
        #expect(dry.standardOutput.contains("would set 2 run(s)"))
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events") == 0)

        let done = try taskwarden.run(reset + ["--yes"])
        #expect(done.status == 0, "\(done.allOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'cancelled'") == 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE operation = 'reset'") == 2)
        #expect(try taskwarden.run(["reset", "--status", "running", "--to", "running", "--reason", "x", "--yes"] + url).status == 2)
        #expect(try taskwarden.run(["reset", "--to", "failed", "--reason", "x", "--yes"] + url).status == 2)
    }

    @Test("cancel asks runs to stop, journaled; without a target it refuses", arguments: TestBackend.allCases)
    func cancel(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["cancel"] + url).status == 2)
        let cancelled = try taskwarden.run(["cancel", "--kind", "ping", "--reason", "platform down", "--json"] + url)
        #expect(cancelled.status == 0, "\(cancelled.allOutput)")
        #expect(cancelled.standardOutput.contains("\"requested\":[\"2\"]"))
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE cancel_requested_at IS NOT NULL") == 1)
        #expect(try db.queryValue(String.self, "SELECT operation FROM task_run_events") == "cancel")
        #expect(try taskwarden.run(["cancel", "--kind", "ping"] + url).standardOutput.contains("for 0 run(s)"))
    }

    @Test("at a terminal, reset shows a sample and asks; only 'y' proceeds")
    func resetAsksAtTerminal() throws {
        let database = try prepare(.sqlite)
        defer { database.drop() }
        let reset = ["reset", "--status", "running", "--to", "failed", "--reason", "incident 42", "--database", database.urlString]
        let declined = try taskwarden.runInTerminal(reset, input: "n\n")
        #expect(declined.status == 2, "\(declined.allOutput)")
        #expect(declined.standardOutput.contains("Proceed? [y/N]"))
        #expect(declined.standardOutput.contains("report"), "no sample shown: \(declined.allOutput)")
        let db = try database.connect()
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 2)
        let accepted = try taskwarden.runInTerminal(reset, input: "y\n")
        #expect(accepted.status == 0, "\(accepted.allOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == 2)
    }

    @Test("doctor exits with its worst check; a hostile mapping is refused with exit code 2", arguments: TestBackend.allCases)
    func doctorAndMapping(backend: TestBackend) throws {
        let database = try prepare(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        let doctor = try taskwarden.run(["doctor", "--json"] + url)
        #expect(doctor.status == 9 || doctor.status == 10, "\(doctor.allOutput)")  // the stuck run is a warning
        #expect(doctor.standardOutput.contains("\"name\":\"stuck runs\""))
        let directory = try TemporaryDirectory.make()
        try "table:\n  name: \"task_runs; DROP TABLE task_runs\"\n".write(
            toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
        let hostile = try taskwarden.run(["stuck"] + url, workingDirectory: directory)
        #expect(hostile.status == 2)
        #expect(hostile.standardError.contains("not a plain SQL identifier"))
        #expect(hostile.standardError.split(separator: "\n").count == 1)
    }
}
