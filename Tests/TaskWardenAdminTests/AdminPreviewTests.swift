import Foundation
import TaskWarden
@testable import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

/// ``AdminActions/preview(_:reason:on:actor:batchSize:)``, what the dashboard shows before a
/// change: the count read once, the script of the change's first batches, and nothing
/// changed or locked; on every backend.
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

    static func commits(_ script: String) -> Int { script.components(separatedBy: "\nCOMMIT;").count - 1 }

    @Test("the script of a reset, its undo and a purge: their first 3 batches, then how many follow; the count is the whole selection's", arguments: TestBackend.allCases)
    func firstBatches(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, running: 11)
        defer { fixture.close() }
        let actions = fixture.actions
        let reset = AdminChange.reset(ResetFilter(statuses: [.running]), to: .failed)
        let preview = try await actions.preview(reset, reason: "r", on: Self.watched, actor: "ui:x", batchSize: 2)
        #expect((preview.found, preview.batches, preview.moreBatches) == (11, 6, 3))
        #expect(Self.commits(preview.script) == 3, "\(preview.script)")
        #expect(preview.script.hasPrefix("-- The statements 'taskwarden reset' would run on table task_runs ("), "\(preview.script)")
        #expect(!preview.script.contains("://"), "a page never shows the database URL")
        #expect(preview.script.hasSuffix("\n-- … and 3 more batches like these: 'taskwarden reset --show-sql' prints them all.\n"))

        let small = try await actions.preview(reset, reason: "r", on: Self.watched, actor: "ui:x", batchSize: 20)
        #expect(small.moreBatches == 0 && !small.script.contains("more batch"), "one batch: the whole script")

        let applied = try await actions.apply(reset, reason: "r", on: Self.watched, actor: "ui:x", bulk: BulkOptions(batchSize: 2))
        let undo = try await actions.preview(.undo(batch: try #require(applied.batchID)), reason: "r", on: Self.watched, actor: "ui:x", batchSize: 2)
        #expect((undo.found, undo.batches, undo.moreBatches) == (11, 6, 3))
        #expect(Self.commits(undo.script) == 3, "\(undo.script)")

        // A purge of 11 runs that succeeded in 2020, by finish time in batches of 2 rows.
        let db = try fixture.database.connect()
        defer { db.close() }
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        for _ in 0..<11 { try db.execute("INSERT INTO task_runs (kind, status, finished_at) VALUES ('job', 'succeeded', \(p(1)))", [old]) }
        var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)]))
        options.batchSize = 2
        options.order = .finishTime
        let purge = try await actions.preview(.purge(options), reason: "r", on: Self.watched, actor: "ui:x")
        #expect((purge.found, purge.batches, purge.moreBatches) == (11, 6, 3), "\(purge.script)")
        #expect(purge.script.hasSuffix("\n-- … and 3 more batches like these: 'taskwarden purge --show-sql' prints them all.\n"))

        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 22, "previews change nothing")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == 11)
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
