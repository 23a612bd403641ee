import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Certification failures: two nodes change the same rows at once, and the one that commits
/// second is rolled back at `COMMIT` with the deadlock error.
extension GaleraTests {
    @Test("a failed certification at COMMIT is a deadlock (1213), transient; the transaction left nothing behind")
    func certificationFailureIsClassified() throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        try database.seed(1, status: "running")
        let one = try database.connect(node: 1)
        defer { one.close() }
        let two = try database.connect(node: 2)
        defer { two.close() }
        var caught: DatabaseError?
        do {
            try one.inTransaction { db in
                _ = try db.execute("UPDATE task_runs SET message = 'from node 1'", [])
                // Node 2 changes the same row and commits first: node 1's write set now conflicts.
                _ = try two.execute("UPDATE task_runs SET message = 'from node 2'", [])
            }
        } catch let error as DatabaseError {
            caught = error
        }
        let error = try #require(caught)
        #expect(error.category == .deadlock, "\(error)")
        #expect(error.vendorCode == 1213, "\(error)")
        #expect(error.category.isTransient)
        #expect(try one.queryValue(String.self, "SELECT message FROM task_runs") == "from node 2")
    }

    @Test("workers on two nodes race for the same runs: each run starts and finishes exactly once")
    func workersRaceAcrossNodes() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        let runs = 120
        try database.seed(runs, status: "queued")
        let result = try await onOwnThread { try Self.race(database, runs: runs) }
        #expect(result.started == runs, "started \(result.started) of \(runs); lost races \(result.lostRaces)")
        #expect(result.started + result.lostRaces == runs * 2)
        let db = try database.connect(node: 3)
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded' AND attempt = 1") == runs)
    }

    @Test("purge with --export through node 1 while node 2 rewrites the same rows: rolled-back batches run again, each row exported once")
    func purgeUnderConflictingWrites() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        let rows = 3_000
        try database.seed(rows, status: "succeeded")
        let directory = try TemporaryDirectory.make()
        let export = directory.appending("purged.jsonl")
        let (purge, updates) = try await onOwnThread { [taskwarden] in
            let stop = Counts()
            // Node 2 keeps touching the oldest purgeable rows, 50 at a time: the rows the
            // purge's next batch takes.
            let writer = Thread {
                defer { stop.done() }
                do {
                    let db = try database.connect(node: 2)
                    defer { db.close() }
                    while stop.lost == 0 {
                        do {
                            let changed = try db.execute(
                                "UPDATE task_runs SET message = CONCAT('touched ', NOW(6)) WHERE status = 'succeeded' ORDER BY id LIMIT 50", [])
                            stop.add(started: changed > 0 ? 1 : 0)
                        } catch let error as DatabaseError where error.category == .deadlock {
                            // The purge won that round; the writer's own conflicts are not under test.
                        }
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                } catch {
                    stop.fail(error)
                }
            }
            writer.start()
            let outcome = try taskwarden.run(
                ["purge", "--succeeded-older-than", "30d", "--batch-size", "50", "--export", export, "--json", "--database", database.url(node: 1)],
                timeout: .seconds(120))
            stop.add(lost: 1)
            try stop.wait(for: 1, within: .seconds(30))
            return (outcome, stop.started)
        }
        #expect(purge.status == 0, "\(purge.allOutput)")
        let summary = try JSONSerialization.jsonObject(with: Data(purge.standardOutput.utf8)) as? [String: Any]
        let retried = summary?["retriedBatches"] as? Int ?? 0
        #expect(retried > 0, "no batch met a conflicting write: the test proved nothing")
        let exported = try Self.exportedIDs(export)
        #expect(exported.count == rows, "exported \(exported.count) lines for \(rows) rows: \(purge.allOutput)")
        #expect(Set(exported).count == rows, "\(exported.count - Set(exported).count) rows exported twice")
        let db = try database.connect(node: 3)
        defer { db.close() }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 0)
        print("galera: purge of \(rows) rows through node 1 while node 2 made \(updates) conflicting updates: \(retried) batches run again after failed certification; lost 0, doubled 0")
    }

    /// Two workers, one per node (1 and 2), each trying to start, heartbeat and finish every run.
    static func race(_ database: GaleraDatabase, runs: Int) throws -> (started: Int, lostRaces: Int) {
        let counts = Counts()
        let threads = (1...2).map { node in
            Thread {
                defer { counts.done() }
                do {
                    let pool = DatabaseDrivers.pool(try DatabaseURL(parsing: database.url(node: node)))
                    defer { pool.close() }
                    let worker = RunLifecycle(database: pool, worker: "node\(node)")
                    let ids = try pool.withConnection { db in try db.query("SELECT id FROM task_runs ORDER BY id", []).map { $0["id"] ?? .null } }
                    for id in ids {
                        do {
                            let ticket = try worker.start(id)
                            try worker.heartbeat(ticket, progress: 50)
                            try worker.finish(ticket, .succeeded(message: "node \(node)"))
                            counts.add(started: 1)
                        } catch is RunLost {
                            counts.add(lost: 1)
                        }
                    }
                } catch {
                    counts.fail(error)
                }
            }
        }
        threads.forEach { $0.start() }
        try counts.wait(for: 2, within: .seconds(120))
        return (counts.started, counts.lost)
    }
}

/// Tallies of worker threads, and the first error one of them hit.
final class Counts: @unchecked Sendable {
    private let lock = NSCondition()
    private var _started = 0
    private var _lost = 0
    private var _duringLoss = 0
    private var lossStarted = false
    private var finished = 0
    private var error: (any Error)?

    var started: Int { lock.withLock { _started } }
    var lost: Int { lock.withLock { _lost } }
    /// Operations counted after ``markLoss()``.
    var duringLoss: Int { lock.withLock { _duringLoss } }

    func add(started: Int = 0, lost: Int = 0) {
        lock.withLock {
            _started += started
            _lost += lost
            if lossStarted { _duringLoss += started }
        }
    }

    /// A node is gone from now on.
    func markLoss() { lock.withLock { lossStarted = true } }

    func fail(_ error: any Error) { lock.withLock { self.error = self.error ?? error } }

    func done() {
        lock.withLock {
            finished += 1
            lock.broadcast()
        }
    }

    /// Waits until `threads` called ``done()``; rethrows the first error one of them hit.
    func wait(for threads: Int, within limit: Duration) throws {
        let deadline = Date().addingTimeInterval(limit.seconds)
        try lock.withLock {
            while finished < threads {
                guard lock.wait(until: deadline) else { throw TimedOut(limit: limit) }
            }
            if let error { throw error }
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "the worker threads did not finish within \(limit)" }
    }
}
