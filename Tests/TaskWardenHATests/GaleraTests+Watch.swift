import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden watch` on every node: one leader through the lease row, and a new one when the
/// leader's node dies.
extension GaleraTests {
    @Test("a watcher per node: one leads; its node killed, a watcher on another node takes over and each stuck run is recovered once")
    func watchLeaderAcrossNodes() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        database.settle()
        let cluster = self.cluster
        let result = try await onOwnThread { [taskwarden] in
            try Self.watchTakeover(database, cluster: cluster, taskwarden: taskwarden)
        }
        #expect(result.firstActors == ["node\(result.leader)"], "\(result.firstActors)")
        #expect(result.secondActors.count == 1 && !result.secondActors.contains("node\(result.leader)"), "\(result.secondActors)")
        #expect(result.journaled == 10 && result.distinctRuns == 10, "\(result.journaled) journal entries for \(result.distinctRuns) runs")
        for status in result.survivorStatuses { #expect(status == 0) }
        print("galera: watchers on three nodes, leader node\(result.leader) killed; \(result.secondActors.first ?? "?") took over in \(result.handover); 10 stuck runs recovered once each; lost 0, doubled 0")
    }

    struct WatchTakeover: Sendable {
        var leader = 0
        var firstActors: Set<String> = []
        var secondActors: Set<String> = []
        var journaled = 0
        var distinctRuns = 0
        var survivorStatuses: [Int32] = []
        var handover: Duration = .zero
    }

    static func watchTakeover(_ database: GaleraDatabase, cluster: GaleraCluster, taskwarden: CommandRunner) throws -> WatchTakeover {
        var result = WatchTakeover()
        var killedNode: Int?
        defer { if let killedNode { try? cluster.node("restart", killedNode) } }
        let db = try database.connect(node: 1)
        defer { db.close() }
        func insertStuck(_ count: Int, through node: Int) throws {
            let writer = try database.connect(node: node)
            defer { writer.close() }
            for _ in 0..<count {
                try writer.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('sync', 'running', '2020-01-01 00:00:00')", [])
            }
            database.settle()
        }
        func recovered(through connection: any DatabaseConnection) throws -> Int {
            try connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'")
        }
        func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if try condition() { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw TimedOutWaiting(what: what)
        }

        try insertStuck(5, through: 1)
        let watchers = try (1...3).map { node in
            try taskwarden.start([
                "watch", "--every", "1s", "--lease", "3s", "--stuck-after", "10m", "--actor", "node\(node)", "--log-level", "info",
                "--database", database.url(node: node),
            ])
        }
        defer { watchers.forEach { $0.send(SIGKILL) } }
        try waitUntil("a watcher recovers the first 5 runs") { try recovered(through: db) == 5 }
        Thread.sleep(forTimeInterval: 2)
        result.firstActors = Set(try db.query("SELECT DISTINCT actor FROM task_run_events", []).map { try $0.decode(String.self, "actor") })
        guard result.firstActors.count == 1, let actor = result.firstActors.first, let leader = Int(actor.dropFirst(4)) else { return result }
        result.leader = leader

        // The leader's node dies with it: the lease can no longer be renewed and expires.
        killedNode = leader
        try cluster.node("kill", leader)
        let killed = ContinuousClock.now
        let survivor = leader == 1 ? 2 : 1
        let check = try database.connect(node: survivor)
        defer { check.close() }
        try insertStuck(5, through: survivor)
        try waitUntil("a watcher on another node recovers the next 5 runs") { try recovered(through: check) == 10 }
        result.handover = ContinuousClock.now - killed
        Thread.sleep(forTimeInterval: 2)
        let actors = try check.query("SELECT DISTINCT actor FROM task_run_events", []).map { try $0.decode(String.self, "actor") }
        result.secondActors = Set(actors).subtracting(result.firstActors)
        result.journaled = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events")
        result.distinctRuns = try check.queryValue(Int.self, "SELECT COUNT(DISTINCT run_id) FROM task_run_events")
        for node in 1...3 where node != leader {
            watchers[node - 1].send(SIGTERM)
            result.survivorStatuses.append(try watchers[node - 1].wait(exitingWithin: .seconds(30)).status)
        }
        killedNode = nil
        try cluster.node("restart", leader)
        return result
    }

    struct TimedOutWaiting: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out (30 s) waiting until \(what)" }
    }
}
