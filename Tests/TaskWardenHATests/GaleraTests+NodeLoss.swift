import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A node killed (SIGKILL, as a crash) while TaskWarden works through it or beside it.
extension GaleraTests {
    @Test("node 1 killed mid-purge with --export: the purge fails with one connection-lost line (exit 4), the rerun on node 2 completes, each row exported exactly once")
    func nodeKilledMidPurge() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        let rows = 4_000
        try database.seed(rows, status: "succeeded")
        try database.seed(3, status: "running", daysAgo: 0)
        let directory = try TemporaryDirectory.make()
        let export = directory.appending("purged.jsonl")
        let arguments = ["purge", "--succeeded-older-than", "30d", "--batch-size", "100", "--export", export]

        let killer = cluster
        let first = try await onOwnThread { [taskwarden] in
            let running = try taskwarden.start(arguments + ["--pause", "20ms", "--database", database.url(node: 1)])
            // Kill node 1 once a few batches are out, while a batch is written to the export
            // and its delete not yet committed (the sidecar exists), as far as polling can tell.
            let deadline = ContinuousClock.now + .seconds(60)
            while Self.lines(export) < 500 || !FileManager.default.fileExists(atPath: export + ".pending"), running.isRunning,
                ContinuousClock.now < deadline
            {
                Thread.sleep(forTimeInterval: 0.001)
            }
            try killer.killNow(1)
            return try running.wait(timeout: .seconds(60))
        }
        var restarted = false
        defer { if !restarted { try? cluster.node("restart", 1) } }
        #expect(first.status == 4, "\(first.allOutput)")
        let errorLines = first.standardError.split(separator: "\n")
        #expect(errorLines.count == 1, "\(first.standardError)")
        #expect(first.standardError.contains("Lost connection") || first.standardError.contains("gone away"), "\(first.standardError)")
        #expect(!first.allOutput.contains("tw-test-pw"))
        let exportedBefore = Self.lines(export)
        // The batch in flight at the kill, written to the export but maybe not committed.
        let pendingAtKill = FileManager.default.fileExists(atPath: export + ".pending")
        #expect(exportedBefore > 0 && exportedBefore < rows, "\(exportedBefore) rows exported before the kill")

        let rerun = try taskwarden.run(arguments + ["--database", database.url(node: 2), "--json"], timeout: .seconds(120))
        #expect(rerun.status == 0, "\(rerun.allOutput)")
        let summary = try JSONSerialization.jsonObject(with: Data(rerun.standardOutput.utf8)) as? [String: Any]
        let batchesDuringLoss = ((summary?["passes"] as? [[String: Any]]) ?? []).reduce(0) { $0 + (($1["batches"] as? Int) ?? 0) }
        #expect(batchesDuringLoss > 0)

        let db = try database.connect(node: 2)
        defer { db.close() }
        let kept = Set(try db.query("SELECT id FROM task_runs WHERE status = 'succeeded'", []).map { try $0.decode(Int.self, "id") })
        let exported = try Self.exportedIDs(export)
        #expect(kept.isEmpty, "\(kept.count) purgeable rows left")
        #expect(exported.count == rows, "exported \(exported.count) lines for \(rows) rows")
        #expect(Set(exported).count == exported.count, "\(exported.count - Set(exported).count) rows exported twice")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 3)
        print("galera: node 1 killed after \(exportedBefore) of \(rows) rows were exported (a batch pending at the kill: \(pendingAtKill)); rerun on node 2 (node 1 down) purged and exported the rest in \(batchesDuringLoss) batches; lost \(rows - Set(exported).count), doubled \(exported.count - Set(exported).count)")
        restarted = true
        try cluster.node("restart", 1)
    }

    @Test("node 3 killed during a reset through node 2 and workers on nodes 1 and 2: the reset completes, no operation lost or doubled")
    func nodeKilledDuringReset() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        let failed = 6_000
        let queued = 300
        try database.seed(failed, status: "failed", daysAgo: 1)
        try database.seed(queued, status: "queued", daysAgo: 0)
        let db = try database.connect(node: 2)
        defer { db.close() }
        let queuedIDs = try db.query("SELECT id FROM task_runs WHERE status = 'queued' ORDER BY id", []).map { $0["id"] ?? .null }

        let cluster = self.cluster
        let (reset, operations, duringLoss, resetRunningAtKill) = try await onOwnThread { [taskwarden] in
            // Workers on nodes 1 and 2 process the queued runs (start, heartbeat, finish) while
            // the reset runs through node 2 and node 3 dies.
            let counts = Counts()
            let halves = [Array(queuedIDs.prefix(queued / 2)), Array(queuedIDs.suffix(queued - queued / 2))]
            let workers = (1...2).map { node in
                Thread {
                    defer { counts.done() }
                    do {
                        let pool = DatabaseDrivers.pool(try DatabaseURL(parsing: database.url(node: node)))
                        defer { pool.close() }
                        let worker = RunLifecycle(database: pool, worker: "node\(node)")
                        for id in halves[node - 1] {
                            let ticket = try worker.start(id)
                            try worker.heartbeat(ticket, progress: 50)
                            try worker.finish(ticket, .succeeded(message: nil))
                            counts.add(started: 3)
                            Thread.sleep(forTimeInterval: 0.02)
                        }
                    } catch {
                        counts.fail(error)
                    }
                }
            }
            workers.forEach { $0.start() }
            let running = try taskwarden.start([
                "reset", "--status", "failed", "--to", "queued", "--reason", "node loss", "--yes", "--batch-size", "20",
                "--database", database.url(node: 2),
            ])
            // Kill node 3 once the reset is under way: a few hundred runs journaled.
            let progress = try database.connect(node: 2)
            defer { progress.close() }
            let deadline = ContinuousClock.now + .seconds(60)
            while running.isRunning, ContinuousClock.now < deadline,
                try progress.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE reason = 'node loss'") < 300
            {
                Thread.sleep(forTimeInterval: 0.01)
            }
            try cluster.node("kill", 3)
            counts.markLoss()
            let runningAtKill = running.isRunning
            let outcome = try running.wait(timeout: .seconds(120))
            try counts.wait(for: 2, within: .seconds(120))
            return (outcome, counts.started, counts.duringLoss, runningAtKill)
        }
        var restarted = false
        defer { if !restarted { try? cluster.node("restart", 3) } }
        #expect(reset.status == 0, "\(reset.allOutput)")
        #expect(resetRunningAtKill, "the reset ended before node 3 was killed")
        #expect(duringLoss > 0, "no worker operation ran after node 3 was killed")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'queued'") == failed)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE reason = 'node loss'") == failed)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(DISTINCT run_id) FROM task_run_events WHERE reason = 'node loss'") == failed)
        // Every worker operation landed once: each run succeeded on its first attempt.
        #expect(operations == queued * 3)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded' AND attempt = 1") == queued)
        print("galera: node 3 killed during a reset of \(failed) runs through node 2 (\(resetRunningAtKill ? "still running" : "done") at the kill) and \(operations) worker operations on nodes 1 and 2, \(duringLoss) of them after the kill; lost 0, doubled 0")
        restarted = true
        try cluster.node("restart", 3)
    }

    static func lines(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    static func exportedIDs(_ path: String) throws -> [Int] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try ((object?["id"] as? NSNumber)?.intValue).orThrow()
        }
    }
}
