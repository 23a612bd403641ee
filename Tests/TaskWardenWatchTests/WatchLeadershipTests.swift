import Foundation
import Logging
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The watchdog's lease: one leader, and a deposed leader's batches refused (fencing).
@Suite("Watch leadership")
struct WatchLeadershipTests {
    @Test("a leader whose lease expired and was taken over has its recovery refused and rolled back; the new leader's goes through", arguments: TestBackend.allCases)
    func deposedLeaderIsFenced(backend: TestBackend) async throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = try database.url
        let db = try database.connect()
        defer { db.close() }
        _ = try Migrator(connection: db, set: try MigrationSet.builtIn(for: db.dialect), openLockConnection: { try DatabaseDrivers.connect(url) }).up()
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        for _ in 0..<3 { try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('sync', 'running', \(p(1)))", [old]) }

        let logger = Logger(label: "test")
        let first = WatchLeadership(table: "task_runs", leaseDuration: .seconds(60), owner: "first", logger: logger) { try DatabaseDrivers.connect(url) }
        let second = WatchLeadership(table: "task_runs", leaseDuration: .seconds(60), owner: "second", logger: logger) { try DatabaseDrivers.connect(url) }
        defer { first.release(); second.release() }
        #expect(try first.refresh())
        #expect(try !second.refresh())

        // The first leader is cut off: its lease runs out and the second claims it.
        try db.execute("UPDATE taskwarden_locks SET expires_at = \(p(1)) WHERE owner = 'first'", [old])
        #expect(try second.refresh())

        let queue = try await DatabaseDrivers.queue(url)
        defer { queue.close() }
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        let refused = await #expect(throws: WatchError.self) {
            try await queue.withTaskRuns(actor: "first") { runs in
                var runs = runs
                runs.fence = first.fence
                return try runs.recover(RecoverOptions(policy: policy)).changed.count
            }
        }
        #expect(refused?.kind == .leaseLost(name: "taskwarden.watch:task_runs"))
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events") == 0)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 3)

        let changed = try await queue.withTaskRuns(actor: "second") { runs in
            var runs = runs
            runs.fence = second.fence
            return try runs.recover(RecoverOptions(policy: policy)).changed.count
        }
        #expect(changed == 3)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 3)
    }
}
