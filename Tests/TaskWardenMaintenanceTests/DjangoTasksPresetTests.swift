import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The `django_tasks` preset on django-tasks' own table: made by its migrations, filled by
/// `enqueue` and its `db_worker` (one worker process killed mid-task), read by `get_result`.
@Suite("django-tasks preset (database backend)")
struct DjangoTasksPresetTests {
    @Test("recover, reset, undo and purge leave rows django-tasks reads back without errors", arguments: TestBackend.allCases)
    func djangoTasksReadsBack(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let tasks = try CeleryHarness(backend: "django_tasks", url: database.urlString)
        try tasks.setup()
        // Two runs whose worker died mid-task (RUNNING forever: django-tasks never looks back), one done.
        let stuck = try tasks.enqueue(state: "RUNNING")
        let live = try tasks.enqueue(state: "RUNNING")
        let done = try tasks.enqueue(state: "SUCCESSFUL")
        let db = try database.connect()
        defer { db.close() }
        // PostgreSQL keeps a uuid, MySQL and SQLite its 32 hex digits.
        func stored(_ id: String) -> String { backend == .postgresql ? id : id.replacingOccurrences(of: "-", with: "") }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        // Time passes: the first run started two hours ago, the finished one ended two days ago.
        try db.execute("UPDATE django_tasks_database_dbtaskresult SET started_at = \(p(1)) WHERE id = \(p(2))", [.timestamp(now.adding(seconds: -7_200)), .text(stored(stuck))])
        try db.execute("UPDATE django_tasks_database_dbtaskresult SET finished_at = \(p(1)) WHERE id = \(p(2))", [.timestamp(now.adding(seconds: -172_800)), .text(stored(done))])

        let queue = try PresetFixture.migratedQueue(database, db)
        defer { queue.close() }
        let config = try TaskWardenConfiguration.parse("table: {preset: django_tasks}\nstuck: {older_than: 10m}")
        let (found, recovered, reset) = try queue.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            (try runs.findStuck(policy: config.stuck),
             try runs.recover(RecoverOptions(policy: config.stuck, reason: "worker host died")),
             try runs.reset(ResetFilter(statuses: [.running]), to: .queued, reason: "deploy rolled back"))
        }
        #expect(found.map(\.kind) == ["harness_tasks.die"])
        #expect(recovered.changed.count == 1)
        #expect(reset.changed.count == 1)
        // The framework has no cancelled state: refused before anything changes.
        #expect(throws: (any Error).self) {
            try queue.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
                try runs.reset(ResetFilter(statuses: [.queued]), to: .cancelled, reason: "no such state")
            }
        }

        let failed = try tasks.read(stuck)
        #expect(failed["status"] as? String == "FAILED", "\(failed)")
        #expect(failed["is_finished"] as? Bool == true, "\(failed)")
        #expect(failed["finished_at"] as? String != nil, "\(failed)")
        let errors = failed["errors"] as? [[String: Any]] ?? []
        #expect(errors.count == 1, "\(failed)")
        #expect(errors.first?["exception_class"] as? String == "RuntimeError", "\(failed)")
        #expect((errors.first?["traceback"] as? String)?.contains("worker host died") == true, "\(failed)")
        #expect(errors.first?["exception_class_error"] == nil, "django-tasks could not read the error: \(failed)")
        let requeued = try tasks.read(live)
        #expect(requeued["status"] as? String == "READY", "\(requeued)")
        #expect(requeued["started_at"] is NSNull, "\(requeued)")
        #expect((requeued["errors"] as? [Any])?.isEmpty == true, "\(requeued)")

        try PresetFixture.undo([reset.batchID, recovered.batchID], on: queue, table: config.table)
        for id in [stuck, live] {
            let back = try tasks.read(id)
            #expect(back["status"] as? String == "RUNNING", "\(back)")
            #expect(back["started_at"] as? String != nil, "\(back)")
            #expect(back["finished_at"] is NSNull, "\(back)")
            #expect((back["errors"] as? [Any])?.isEmpty == true, "\(back)")
            #expect((back["worker_ids"] as? [String]) == ["worker-2"], "\(back)")
        }
        #expect(try db.queryFirst("SELECT exception_class_path, traceback FROM django_tasks_database_dbtaskresult WHERE id = \(p(1))", [.text(stored(stuck))])
            .map { [$0["exception_class_path"], $0["traceback"]] } == [.text(""), .text("")])

        // A delete into an archive and its undo: the row comes back as django-tasks stored it
        // (on PostgreSQL its id is a uuid, which the undo's lookups cast to).
        let deleted = try queue.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            try runs.delete(DeleteFilter(ids: [stored(done)]), reason: "gdpr", options: DeleteOptions(archiveTable: try SQLIdentifier("deleted_tasks")))
        }
        #expect(deleted.deleted.count == 1)
        #expect(try tasks.read(done)["missing"] as? Bool == true)
        try PresetFixture.undo([deleted.batchID], on: queue, table: config.table)
        let restored = try tasks.read(done)
        #expect(restored["status"] as? String == "SUCCESSFUL", "\(restored)")

        let purged = try queue.withTaskRuns(table: config.table) { (runs: TaskRuns) throws in
            try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])))
        }
        #expect(purged.rows == 1)
        #expect(try tasks.read(done)["missing"] as? Bool == true)
        #expect(try tasks.read(stuck)["status"] as? String == "RUNNING")
    }
}
