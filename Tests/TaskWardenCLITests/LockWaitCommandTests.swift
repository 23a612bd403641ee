import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Maintenance commands behind another session's table lock: a bounded wait, the holder named.
@Suite("taskwarden behind a table lock")
struct LockWaitCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// A migrated database with one stuck run, and a second session holding a lock on
    /// `task_runs` that the commands need: an exclusive table lock on PostgreSQL, `LOCK TABLES
    /// ... WRITE` on MariaDB, the write lock on SQLite.
    private func lockedDatabase(_ backend: TestBackend) throws -> (IsolatedDatabase, any DatabaseConnection) {
        let database = try IsolatedDatabase.create(backend)
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let holder = try database.connect()
        let now = try DatabaseClock.now(on: holder)
        let p = holder.dialect.placeholder
        try holder.execute(
            "INSERT INTO task_runs (kind, status, started_at) VALUES ('report', 'running', \(p(1)))", [.timestamp(now.adding(seconds: -7_200))])
        switch backend {
        case .postgresql:
            try holder.execute("BEGIN", [])
            try holder.execute("LOCK TABLE task_runs IN ACCESS EXCLUSIVE MODE", [])
        case .mysql:
            try holder.execute("LOCK TABLES task_runs WRITE", [])
        case .sqlite:
            try holder.execute("BEGIN IMMEDIATE", [])
        }
        return (database, holder)
    }

    @Test("recover and stuck give up after --lock-wait with exit 7, naming the holder where the server can", arguments: TestBackend.allCases)
    func boundedWait(backend: TestBackend) throws {
        let (database, holder) = try lockedDatabase(backend)
        defer { database.drop() }
        defer { holder.close() }
        let commands: [[String]] =
            backend == .sqlite
            ? [["recover", "--reason", "x"]]  // in WAL mode readers do not wait for the writer
            : [["recover", "--reason", "x"], ["stuck"]]
        for command in commands {
            let outcome = try taskwarden.run(command + ["--lock-wait", "2s", "--database", database.urlString], timeout: .seconds(60))
            #expect(outcome.status == 7, "\(command): \(outcome.allOutput)")
            #expect(outcome.duration < .seconds(20), "\(command) took \(outcome.duration)")
            #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("gave up after 2s waiting for a lock"), "\(outcome.standardError)")
            if backend == .postgresql {
                #expect(outcome.standardError.contains("LOCK TABLE task_runs"), "\(outcome.standardError)")
            }
        }
        // Nothing changed behind the lock, and the run is recovered once the lock is gone.
        try holder.execute(backend == .mysql ? "UNLOCK TABLES" : "COMMIT", [])
        let recovered = try taskwarden.run(["recover", "--reason", "x", "--database", database.urlString])
        #expect(recovered.status == 0, "\(recovered.allOutput)")
        #expect(recovered.standardOutput.contains("running -> failed"))
    }

    @Test("on a terminal, the command says what it waits for", arguments: [TestBackend.postgresql, .mysql])
    func announcesOnTerminal(backend: TestBackend) throws {
        let (database, holder) = try lockedDatabase(backend)
        defer { database.drop() }
        defer { holder.close() }
        let outcome = try taskwarden.runInTerminal(
            ["stuck", "--lock-wait", "4s", "--database", database.urlString], input: "", timeout: .seconds(60))
        #expect(outcome.status == 7, "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("waiting for a lock held by"), "\(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("tw-test-pw"))
        if backend == .postgresql {
            #expect(outcome.standardOutput.contains("LOCK TABLE task_runs"), "\(outcome.standardOutput)")
        }
    }
}
