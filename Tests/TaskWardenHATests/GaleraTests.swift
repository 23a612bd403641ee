import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// TaskWarden on a three-node MariaDB Galera cluster (`scripts/ha/galera.sh`), with clients on
/// different nodes.
///
/// One test at a time: some kill a node, and a second node lost at the same moment would cost
/// the cluster its quorum. Each test that kills a node starts it again before it ends.
@Suite("Galera", .serialized)
struct GaleraTests {
    let cluster: GaleraCluster
    let taskwarden: CommandRunner

    init() throws {
        cluster = try GaleraCluster.fromEnvironment()
        taskwarden = try CommandRunner()
    }

    @Test("GET_LOCK is node-local on Galera; migrate from all three nodes at once takes a lease and applies each migration once")
    func migrateFromThreeNodes() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        // Why the session lock must not be used: both nodes grant the same named lock.
        let one = try database.connect(node: 1)
        defer { one.close() }
        let two = try database.connect(node: 2)
        defer { two.close() }
        #expect(try one.queryValue(Int.self, "SELECT GET_LOCK('tw.galera.test', 0)") == 1)
        #expect(try two.queryValue(Int.self, "SELECT GET_LOCK('tw.galera.test', 0)") == 1)

        let runner = taskwarden
        let outcomes = try await onOwnThread {
            let running = try database.urls.map { try runner.start(["migrate", "--database", $0]) }
            return try running.map { try $0.wait(timeout: .seconds(120)) }
        }
        for outcome in outcomes { #expect(outcome.status == 0, "\(outcome.allOutput)") }
        let three = try database.connect(node: 3)
        defer { three.close() }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/migrations/mysql").filter { $0.hasSuffix(".sql") }
        #expect(try three.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_schema_migrations WHERE state = 'applied'") == files.count)
        // Each applied by one process only: one event per migration, whichever node it came through.
        let events = try three.query("SELECT version, COUNT(*) AS n FROM taskwarden_schema_events GROUP BY version", [])
        #expect(events.count == files.count)
        #expect(try events.allSatisfy { try $0.decode(Int.self, "n") == 1 }, "\(events)")
        // The lock was a lease row: its table exists (a session lock never creates it).
        #expect(try three.queryValue(Int.self, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'taskwarden_locks'") == 1)
        // Every node has the schema (DDL ran under total order isolation).
        #expect(try two.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 0)
        let again = try taskwarden.run(["migrate", "--database", database.url(node: 2)])
        #expect(again.status == 0, "\(again.allOutput)")
    }

    @Test("purge and reset stay under wsrep_max_ws_rows: batches capped, said so, everything purged and archived")
    func writeSetLimits() async throws {
        let database = try cluster.database()
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.url(node: 1)]).status == 0)
        let rows = cluster.maxWriteSetRows * 5 / 2
        try database.seed(rows, status: "succeeded")
        try database.seed(cluster.maxWriteSetRows * 3 / 2, status: "failed", daysAgo: 1)
        let db = try database.connect(node: 3)
        defer { db.close() }
        // The limit is real: one statement over it fails, and changes nothing.
        #expect(throws: DatabaseError.self) {
            try db.execute("UPDATE task_runs SET message = 'x' WHERE status = 'succeeded'", [])
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE message = 'x'") == 0)

        let purge = try taskwarden.run(
            ["purge", "--succeeded-older-than", "30d", "--archive-table", "task_runs_archive", "--database", database.url(node: 2)],
            timeout: .seconds(120))
        #expect(purge.status == 0, "\(purge.allOutput)")
        #expect(purge.standardOutput.contains("instead of 5000: under the Galera cluster's write-set limits (wsrep_max_ws_rows \(cluster.maxWriteSetRows)"), "\(purge.standardOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'") == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs_archive") == rows)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(DISTINCT id) FROM task_runs_archive") == rows)

        let failed = cluster.maxWriteSetRows * 3 / 2
        let reset = try taskwarden.run(
            ["reset", "--status", "failed", "--to", "queued", "--reason", "galera limits", "--yes", "--database", database.url(node: 3)],
            timeout: .seconds(120))
        #expect(reset.status == 0, "\(reset.allOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'queued'") == failed)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE reason = 'galera limits'") == failed)

        // Undo through yet another node: every run back to failed, in batches under the limit.
        let batch = try #require(
            reset.standardOutput.split(separator: "\n").first { $0.hasPrefix("batch ") }?.split(separator: " ").dropFirst().first.map(String.init))
        let undo = try taskwarden.run(["undo", batch, "--database", database.url(node: 1)], timeout: .seconds(120))
        #expect(undo.status == 0, "\(undo.allOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == failed)
    }

    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
