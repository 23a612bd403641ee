import Foundation
import Synchronization
import PropertyBased
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

@testable import TaskWardenMaintenance

/// PostgreSQL's purge batches: the primary-key walk without rows to copy goes by the table's
/// blocks, and batches commit without waiting for the disk unless rows go to an export file.
@Suite("PostgreSQL purge batches")
struct PurgeBlockWalkTests {
    @Test("the walk goes by blocks on a plain table without a copy, and keeps to id ranges with an archive or an export")
    func chosen() throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        for _ in 0..<300 { _ = try fixture.insert(status: "succeeded", finishedMinutesAgo: 60 * 24 * 100) }
        try fixture.connection.execute("ANALYZE task_runs", [])
        let purger = Purger(runs: fixture.runs, options: PurgeOptions(retention: PurgeOrderTests.retention))
        let walk = try #require(try purger.blockWalk(copying: false))
        let blocks = try fixture.connection.query("SELECT pg_relation_size('task_runs') / 8192 AS n", []).first?.decode(Int.self, "n")
        #expect(walk.next == 0 && walk.end == blocks && walk.end > 1)
        #expect(walk.rowsPerBlock > 1 && walk.rowsPerBlock < 300)
        #expect(try purger.blockWalk(copying: true) == nil)
    }

    @Test("generated tables of many blocks: batches of a few blocks delete exactly the rows past their retention, per status and kind rule, as the finish-time walk does")
    func sameRows() async throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        let p = fixture.connection.dialect.placeholder
        await propertyCheck(
            count: 4, input: PurgeOrderTests.generatedRun.array(of: 400...1_200), Gen<Int>.int(in: 5...60), Gen<Bool?>.element(of: [true, false])
        ) { runs, batchSize, analyzed in
            var kept: [PurgeOrder: [String]] = [:]
            for order in PurgeOrder.allCases {
                try fixture.connection.execute("DELETE FROM task_runs", [])
                try fixture.connection.execute("VACUUM task_runs", [])
                try fixture.connection.inTransaction { db in
                    for (index, run) in runs.enumerated() {
                        let finished = fixture.ago(minutes: run.finishedDaysAgo * PurgeOrderTests.day)
                        try db.execute(
                            "INSERT INTO task_runs (kind, status, started_at, finished_at, worker, payload) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)))",
                            [.text(run.kind), .text(run.status), .timestamp(finished.adding(seconds: -60)), .timestamp(finished), .text("row-\(index)"),
                             .text(String(repeating: "x", count: 200))])
                    }
                }
                // Without statistics the walk starts from a guess of a block's rows.
                if analyzed ?? false { try fixture.connection.execute("ANALYZE task_runs", []) }
                var options = PurgeOptions(retention: PurgeOrderTests.retention)
                options.order = order
                options.batchSize = batchSize
                if order == .primaryKey {
                    let walk = try #require(try Purger(runs: fixture.runs, options: options).blockWalk(copying: false))
                    #expect(walk.end > 5, "\(walk)")
                }
                let summary = try fixture.runs.purge(options)
                let remaining = try fixture.connection.query("SELECT worker FROM task_runs", []).map { try $0.decode(String.self, "worker") }.sorted()
                kept[order] = remaining
                let expected = runs.indices.filter { !PurgeOrderTests.expectedToGo(runs[$0]) }.map { "row-\($0)" }.sorted()
                #expect(remaining == expected, "\(order), batch \(batchSize)")
                #expect(summary.rows == runs.count - expected.count)
                if order == .primaryKey, summary.rows > 2 * batchSize {
                    #expect(summary.passes.reduce(0) { $0 + $1.batches } > 1, "\(summary.passes)")
                }
            }
            #expect(kept[.finishTime] == kept[.primaryKey])
        }
    }

    @Test("each batch commits asynchronously inside its own transaction, except with --export; other backends never", arguments: TestBackend.allCases)
    func asynchronousCommit(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-async-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The tests' servers run with synchronous_commit off; the session starts from on.
        if backend == .postgresql { try fixture.connection.execute("SET synchronous_commit = on", []) }
        for export in [false, true] {
            for _ in 0..<30 { _ = try fixture.insert(status: "succeeded", finishedMinutesAgo: 60 * 24 * 100) }
            var options = PurgeOptions(retention: PurgeOrderTests.retention)
            options.batchSize = 10
            if export { options.exportPath = directory.appendingPathComponent("rows.jsonl").path }
            #expect(Purger(runs: fixture.runs, options: options).commitsAsynchronously == (backend == .postgresql && !export))
            guard backend == .postgresql else { continue }
            // What each batch's transaction sees, read by the fence that runs in it.
            let seen = Mutex<[String]>([])
            var runs = fixture.runs
            runs.fence = { connection in
                let value = try connection.query("SELECT current_setting('synchronous_commit') AS v", []).first?.decode(String.self, "v") ?? "?"
                seen.withLock { $0.append(value) }
            }
            let summary = try runs.purge(options)
            #expect(summary.rows == 30)
            let values = seen.withLock { $0 }
            #expect(values.count >= 3 && Set(values) == [export ? "on" : "off"], "\(values)")
            // The setting ended with each batch's transaction.
            let after = try fixture.connection.query("SELECT current_setting('synchronous_commit') AS v", []).first?.decode(String.self, "v")
            #expect(after == "on")
        }
    }
}
