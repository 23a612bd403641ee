import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Recovery racing against workers that finish runs and send heartbeats at the same moment.
@Suite("Recovery races")
struct RecoveryRaceTests {
    /// What the workers saw land, guarded by a lock.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var finished: Set<Int64> = []
        private(set) var heartbeated: Set<Int64> = []
        private var attemptCount = 0
        var attempts: Int { lock.withLock { attemptCount } }
        func recordAttempt() { lock.withLock { attemptCount += 1 } }
        func record(finished id: Int64) { lock.withLock { _ = finished.insert(id) } }
        func record(heartbeat id: Int64) { lock.withLock { _ = heartbeated.insert(id) } }
    }

    @Test("a run a worker finished or heartbeated is never overwritten by recover", arguments: TestBackend.allCases)
    func raceWithWorkers(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        // Recover walks the runs in id order, in transactions of 500; the workers walk them in
        // reverse, so they meet in the middle: some runs are finished before recover finds them,
        // some after it found them but before it locks them (the re-check must catch those),
        // some after recover changed them (the worker's own compare-and-set must lose).
        let ids = try fixture.connection.inTransaction { _ in try (0..<1_500).map { _ in try fixture.insert(startedMinutesAgo: 120) } }
        let outcomes = Outcomes()
        let url = try fixture.database.url
        let group = DispatchGroup()
        let workers = 4
        for worker in 0..<workers {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                guard let db = try? DatabaseDrivers.connect(url) else { return }
                defer { db.close() }
                let p = db.dialect.placeholder
                for (index, id) in ids.enumerated().reversed() where index % workers == worker {
                    outcomes.recordAttempt()
                    let now = DatabaseValue.timestamp(Timestamp.now)
                    if index % 3 == 0 {
                        let sql = "UPDATE task_runs SET status = 'succeeded', finished_at = \(p(1)) WHERE id = \(p(2)) AND status = 'running'"
                        if (try? db.execute(sql, [now, .integer(id)])) == 1 { outcomes.record(finished: id) }
                    } else if index % 3 == 1 {
                        let sql = "UPDATE task_runs SET heartbeat_at = \(p(1)) WHERE id = \(p(2)) AND status = 'running'"
                        if (try? db.execute(sql, [now, .integer(id)])) == 1 { outcomes.record(heartbeat: id) }
                    }
                }
            }
        }
        // Recover starts once the workers are under way.
        let deadline = Date().addingTimeInterval(10)
        while outcomes.attempts < 60 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        // Batches of 200: the workers race the walk across many batches, not one.
        let result = try fixture.runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(1_800))), bulk: BulkOptions(batchSize: 200))
        group.wait()

        let journaled = Set(try fixture.runs.journal().map { Int64($0.runID)! })
        var statuses: [String: Int] = [:]
        for id in ids {
            let status = try fixture.status(of: id)
            statuses[status, default: 0] += 1
            if outcomes.finished.contains(id) {
                #expect(status == "succeeded", "run \(id) finished by its worker ended \(status)")
                #expect(!journaled.contains(id))
            }
            if outcomes.heartbeated.contains(id) {
                #expect(status == "running", "run \(id) heartbeated by its worker ended \(status)")
                #expect(!journaled.contains(id))
            }
            if journaled.contains(id) { #expect(status == "failed") }
            if status == "failed" { #expect(journaled.contains(id)) }
        }
        #expect(result.changed.count == journaled.count)
        #expect(statuses.keys.allSatisfy { ["succeeded", "running", "failed"].contains($0) })
        #expect(statuses["failed", default: 0] + outcomes.finished.count + outcomes.heartbeated.count == ids.count)
        print("race on \(backend): \(statuses), workers finished \(outcomes.finished.count), heartbeats landed \(outcomes.heartbeated.count), recovered \(journaled.count), found stuck but changed meanwhile \(result.skipped)")
    }
}
