import Foundation
import TaskWarden
@testable import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

/// ``AdminActions/preview(_:reason:on:actor:batchSize:)``, what the dashboard shows before a
/// change: nothing changed or locked; on every backend.
@Suite("admin change previews")
struct AdminPreviewTests {
    static let watched = AdminServer.Table(table: .taskRuns, stuck: StuckPolicy())

    /// A migrated database of its own with `running` runs started in 2020, and a queue to it.
    struct Fixture {
        let database: IsolatedDatabase
        let access: ConnectionQueue
        var actions: AdminActions { AdminActions(access: access) }

        init(_ backend: TestBackend, running: Int) async throws {
            database = try IsolatedDatabase.create(backend)
            let db = try database.connect()
            defer { db.close() }
            let url = try database.url
            _ = try Migrator(connection: db, set: try MigrationSet.builtIn(for: db.dialect), openLockConnection: { try DatabaseDrivers.connect(url) }).up()
            let started = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
            for _ in 0..<running {
                try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('job', 'running', \(db.dialect.placeholder(1)))", [started])
            }
            access = try await DatabaseDrivers.queue(url)
        }

        func close() {
            access.close()
            database.drop()
        }
    }

    @Test("a session holding the runs' row locks (SQLite: the write lock) does not hold up the preview of an undo", arguments: TestBackend.allCases)
    func lockedRows(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, running: 4)
        defer { fixture.close() }
        let applied = try await fixture.actions.apply(.reset(ResetFilter(statuses: [.running]), to: .failed), reason: "r", on: Self.watched, actor: "ui:x")
        let batch = try #require(applied.batchID)

        // SQLite has no row locks: the holder takes the write lock, which the script's BEGIN
        // IMMEDIATE would wait for, were it run.
        let holder = try fixture.database.connect()
        defer { holder.close() }
        try holder.execute(holder.dialect.beginTransactionSQL, [])
        if backend != .sqlite { _ = try holder.query("SELECT id FROM task_runs ORDER BY id FOR UPDATE", []) }
        let wait: [TestBackend: String] = [.postgresql: "lock_timeout=1000", .mysql: "innodb_lock_wait_timeout=1", .sqlite: "busy_timeout=200"]
        let urlString = fixture.database.urlString
        let url = try DatabaseURL(parsing: urlString + (urlString.contains("?") ? "&" : "?") + wait[backend]!)
        // A locking read run for real would wait for the holder, then fail with the short wait.
        let recorder = try await DatabaseDrivers.queue(url)
        defer { recorder.close() }
        let undo = try await AdminActions(access: recorder).preview(.undo(batch: batch), reason: "r", on: Self.watched, actor: "ui:x")
        try holder.execute("ROLLBACK", [])
        #expect(undo.found == 4)
        #expect(undo.script.contains("FOR UPDATE") == (backend != .sqlite), "\(undo.script)")
    }
}
