import Foundation
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

@Suite("Stuck runs and recovery")
struct StuckAndRecoverTests {
    static let policy = StuckPolicy(defaultThreshold: .seconds(30 * 60), kindThresholds: ["report": .seconds(60 * 60), "ping": .seconds(10 * 60)])

    @Test("stuck by heartbeat and by start time, with per-kind thresholds, judged by the database's clock", arguments: TestBackend.allCases)
    func detection(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        _ = try fixture.insert(startedMinutesAgo: 120, heartbeatMinutesAgo: 1)  // alive: recent heartbeat
        let noHeartbeat = try fixture.insert(startedMinutesAgo: 120)  // stuck by start time
        let staleHeartbeat = try fixture.insert(startedMinutesAgo: 90, heartbeatMinutesAgo: 45)  // stuck by heartbeat
        _ = try fixture.insert(kind: "report", startedMinutesAgo: 50, heartbeatMinutesAgo: 40)  // report: 60m threshold
        let ping = try fixture.insert(kind: "ping", startedMinutesAgo: 15)  // ping: 10m threshold
        _ = try fixture.insert(status: "succeeded", startedMinutesAgo: 500, finishedMinutesAgo: 400)
        _ = try fixture.insert(status: "queued", startedMinutesAgo: nil)

        let stuck = try fixture.runs.findStuck(policy: Self.policy)
        #expect(stuck.map { Int64.fromDatabaseValue($0.id) } == [noHeartbeat, staleHeartbeat, ping])
        let first = try #require(stuck.first)
        #expect(first.silentFor >= .seconds(119 * 60) && first.silentFor <= .seconds(121 * 60))
        #expect(stuck.last?.threshold == .seconds(600))
        #expect(try fixture.runs.findStuck(policy: Self.policy, kind: "ping").count == 1)
        #expect(try fixture.runs.findStuck(policy: Self.policy.overridden(by: .seconds(5 * 60))).count == 4)
        #expect(try fixture.runs.findStuck(policy: Self.policy, limit: 2).count == 2)
    }

    @Test("recover marks stuck runs failed with finished_at and a note, journaled; dry run changes nothing", arguments: TestBackend.allCases)
    func recoverToFailed(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let stuck = try fixture.insert(startedMinutesAgo: 120)
        let alive = try fixture.insert(startedMinutesAgo: 120, heartbeatMinutesAgo: 2)
        let dry = try fixture.runs.recover(RecoverOptions(policy: Self.policy, dryRun: true))
        #expect(dry.stuck.count == 1)
        #expect(dry.changed.isEmpty)
        #expect(try fixture.status(of: stuck) == "running")
        #expect(try fixture.journalCount() == 0)

        let result = try fixture.runs.recover(RecoverOptions(policy: Self.policy, reason: "worker host died"))
        #expect(result.changed.sample.map(\.newStatus) == ["failed"])
        #expect(try fixture.status(of: stuck) == "failed")
        #expect(try fixture.status(of: alive) == "running")
        let row = try fixture.row(stuck)
        let finished = try row.decode(Timestamp.self, "finished_at")
        #expect(abs(finished.secondsSinceEpoch - fixture.now.secondsSinceEpoch) < 120)
        let note = try row.decode(String.self, "error")
        #expect(note.contains("no sign of life") && note.contains("worker host died"))
        let batch = try #require(result.batchID)
        #expect(try fixture.journalCount(batch: batch) == 1)
        let entry = try #require(try fixture.runs.journal(batchID: batch).first)
        #expect(entry.operation == .recover && entry.oldStatus == "running" && entry.newStatus == "failed" && entry.actor == "tester")
        #expect(entry.runID == String(stuck))
    }

    @Test("recover to cancelled, and to queued: requeued while attempts remain, failed after", arguments: TestBackend.allCases)
    func recoverToOtherTargets(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let cancelled = try fixture.insert(kind: "a", startedMinutesAgo: 120)
        #expect(try fixture.runs.recover(RecoverOptions(policy: Self.policy, kind: "a", target: .cancelled)).changed.count == 1)
        #expect(try fixture.status(of: cancelled) == "cancelled")

        let retry = try fixture.insert(kind: "b", startedMinutesAgo: 120, attempt: 1, maxAttempts: 3)
        let exhausted = try fixture.insert(kind: "b", startedMinutesAgo: 120, attempt: 3, maxAttempts: 3)
        let result = try fixture.runs.recover(RecoverOptions(policy: Self.policy, kind: "b", target: .queued))
        #expect(result.changed.count == 2)
        #expect(try fixture.status(of: retry) == "queued")
        #expect(try fixture.status(of: exhausted) == "failed")
        let requeued = try fixture.row(retry)
        #expect(requeued["started_at"] == .null)
        #expect(requeued["worker"] == .null)
        #expect(requeued["finished_at"] == .null)
    }

    @Test("the stuck query reads through the status index, not the whole table", arguments: TestBackend.allCases)
    func usesIndex(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        // 20 000 finished runs and a handful of running ones.
        let insertMany: String
        switch backend {
        case .postgresql:
            insertMany = "INSERT INTO task_runs (kind, status, started_at, finished_at) SELECT 'job', 'succeeded', now() - interval '2 days', now() - interval '1 day' FROM generate_series(1, 20000)"
        case .mysql:
            insertMany = "INSERT INTO task_runs (kind, status, started_at, finished_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT 'job', 'succeeded', NOW(6) - INTERVAL 2 DAY, NOW(6) - INTERVAL 1 DAY FROM n"
        case .sqlite:
            insertMany = "INSERT INTO task_runs (kind, status, started_at, finished_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT 'job', 'succeeded', '2026-01-01 00:00:00.000000', '2026-01-02 00:00:00.000000' FROM n"
        }
        if backend == .mysql {
            let variable = db.dialect.isMariaDB ? "max_recursive_iterations" : "cte_max_recursion_depth"
            try db.execute("SET SESSION \(variable) = 100000", [])
        }
        try db.execute(insertMany, [])
        for _ in 0..<5 { try fixture.insert(startedMinutesAgo: 120) }
        switch backend {
        case .postgresql: try db.execute("ANALYZE task_runs", [])
        case .mysql: try db.execute("ANALYZE TABLE task_runs", [])
        case .sqlite: try db.execute("ANALYZE", [])
        }
        let (sql, parameters) = try SQL.Runs.SelectStuck(
            runningStatuses: ["running"], cutoff: .timestamp(fixture.ago(minutes: 30)), kind: .null, limit: 100
        ).render(for: db.dialect, names: TaskTable.taskRuns.identifiers)
        let plan: String
        switch backend {
        case .postgresql: plan = try db.query("EXPLAIN " + sql, parameters).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        case .mysql: plan = try db.query("EXPLAIN " + sql, parameters).map { ($0["key"].flatMap(String.fromDatabaseValue) ?? "") + " " + ($0["type"].flatMap(String.fromDatabaseValue) ?? "") }.joined(separator: "\n")
        case .sqlite: plan = try db.query("EXPLAIN QUERY PLAN " + sql, parameters).map { try $0.decode(String.self, "detail") }.joined(separator: "\n")
        }
        // Any index with status first narrows the read to the running rows (the planner may
        // prefer the retention or the (status, id) index, which also start with status); a table
        // scan may not happen.
        switch backend {
        case .postgresql:
            #expect(plan.contains("Index") && plan.contains("Index Cond: ((status)"), "\(plan)")
            #expect(!plan.contains("Seq Scan"), "\(plan)")
        case .mysql:
            #expect(plan.contains("task_runs_stuck_idx") || plan.contains("task_runs_retention_idx") || plan.contains("task_runs_status_idx"), "\(plan)")
            #expect(!plan.contains(" ALL"), "\(plan)")
        case .sqlite:
            #expect(plan.contains("USING INDEX task_runs_") || plan.contains("USING COVERING INDEX task_runs_"), "\(plan)")
            #expect(!plan.split(separator: "\n").contains { $0.hasPrefix("SCAN task_runs") }, "\(plan)")
        }
        #expect(try fixture.runs.findStuck(policy: Self.policy).count == 5)
    }

    @Test("stats counts runs, recent finishes, and the table's size on disk", arguments: TestBackend.allCases)
    func stats(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        _ = try fixture.insert(startedMinutesAgo: 90)
        _ = try fixture.insert(status: "succeeded", startedMinutesAgo: 40, finishedMinutesAgo: 30)
        _ = try fixture.insert(status: "failed", startedMinutesAgo: 200, finishedMinutesAgo: 180)
        _ = try fixture.insert(status: "failed", startedMinutesAgo: 3_000, finishedMinutesAgo: 2_000)
        let stats = try fixture.runs.stats(policy: StuckPolicy(defaultThreshold: .seconds(1_800)))
        #expect(stats.total == 4)
        #expect(stats.stuckCount == 1)
        #expect(stats.finishedLastHour == ["succeeded": 1])
        #expect(stats.finishedLastDay == ["succeeded": 1, "failed": 1])
        #expect((stats.tableBytes ?? 0) > 0, "no size on disk")
    }
}
