import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A dry run makes the real run's checks, so it fails exactly where the real run would.
@Suite("Dry runs fail where real runs fail")
struct DryRunTests {
    /// A mapped table without attempt columns, with one stuck run.
    private func plainTable(_ fixture: RunFixture) throws -> TaskRuns {
        let db = fixture.connection
        try db.execute("CREATE TABLE plain_runs (id INTEGER PRIMARY KEY, status VARCHAR(16) NOT NULL, started_at TIMESTAMP NULL, finished_at TIMESTAMP NULL, error TEXT)", [])
        let p = db.dialect.placeholder
        try db.execute("INSERT INTO plain_runs (id, status, started_at) VALUES (1, 'running', \(p(1)))", [.timestamp(fixture.ago(minutes: 120))])
        let table = try TaskWardenConfiguration.parse("table: {name: plain_runs, columns: {started_at: started_at, finished_at: finished_at, error: error}}").table
        return TaskRuns(connection: db, table: table, actor: "tester")
    }

    /// The error `body` throws, as text, or `nil` when it succeeds.
    private func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(type(of: error)): \(error)"
        }
    }

    @Test("recover --to queued: the dry run refuses a table without attempt columns, as the real run does", arguments: TestBackend.allCases)
    func recoverRequeueWithoutAttempts(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let runs = try plainTable(fixture)
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        let dry = failure { _ = try runs.recover(RecoverOptions(policy: policy, target: .queued, dryRun: true)) }
        let real = failure { _ = try runs.recover(RecoverOptions(policy: policy, target: .queued)) }
        #expect(dry != nil, "the dry run reported runs the real run refuses to requeue")
        #expect(dry == real)
        #expect(try fixture.connection.queryValue(String.self, "SELECT status FROM plain_runs") == "running")
    }

    @Test("every command's dry run fails with the real run's error, and succeeds where it succeeds", arguments: TestBackend.allCases)
    func sameChecks(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let plain = try plainTable(fixture)
        try fixture.insert(startedMinutesAgo: 120)
        let longReason = String(repeating: "r", count: 70_000)
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        let longActor = TaskRuns(connection: fixture.connection, actor: String(repeating: "a", count: 300))
        let unwritable = "/proc/taskwarden-no-such-dir/export.jsonl"

        // recover: kind without a kind column, over-long reason, over-long actor.
        for (runs, options) in [
            (plain, RecoverOptions(policy: policy, kind: "crawl")), (fixture.runs, RecoverOptions(policy: policy, reason: longReason)),
            (longActor, RecoverOptions(policy: policy)),
        ] {
            var dryOptions = options
            dryOptions.dryRun = true
            let dry = failure { _ = try runs.recover(dryOptions) }
            #expect(dry != nil)
            #expect(dry == failure { _ = try runs.recover(options) })
        }
        // reset: the preview is reset's dry run.
        for (runs, filter, reason) in [
            (plain, ResetFilter(statuses: [.running], kinds: ["crawl"]), "x"), (fixture.runs, ResetFilter(statuses: [.running], ids: ["1abc"]), "x"),
            (fixture.runs, ResetFilter(statuses: [.running]), longReason), (longActor, ResetFilter(statuses: [.running]), "x"),
            (fixture.runs, ResetFilter(statuses: []), "x"),
        ] {
            let dry = failure { _ = try runs.previewReset(filter, reason: reason) }
            #expect(dry != nil)
            #expect(dry == failure { _ = try runs.reset(filter, to: .failed, reason: reason) })
        }
        // purge: no finished_at column on a mapping, no retention, an export file that cannot be written.
        let noFinish = TaskRuns(
            connection: fixture.connection,
            table: try TaskWardenConfiguration.parse("table: {name: plain_runs, columns: {started_at: started_at}}").table, actor: "tester")
        var export = PurgeOptions(retention: RetentionPolicy(statuses: [.failed: .seconds(60)]))
        export.exportPath = unwritable
        for (runs, options) in [
            (noFinish, PurgeOptions(retention: RetentionPolicy(statuses: [.failed: .seconds(60)]))), (fixture.runs, PurgeOptions(retention: RetentionPolicy())),
            (fixture.runs, export),
        ] {
            var dryOptions = options
            dryOptions.dryRun = true
            let dry = failure { _ = try runs.purge(dryOptions) }
            #expect(dry != nil)
            #expect(dry == failure { _ = try runs.purge(options) })
        }
        // undo: an over-long actor, an unknown batch.
        for (runs, batch) in [(longActor, "20260101-000000-abcdef12"), (fixture.runs, "20260101-000000-abcdef12")] {
            let dry = failure { _ = try runs.undo(batchID: batch, dryRun: true) }
            #expect(dry != nil)
            #expect(dry == failure { _ = try runs.undo(batchID: batch) })
        }
        #expect(try fixture.journalCount() == 0)
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 1)
        #expect(!FileManager.default.fileExists(atPath: unwritable))
    }
}
