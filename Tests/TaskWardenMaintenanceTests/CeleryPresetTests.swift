import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The `celery_django` preset on django-celery-results' own table, written and read by Celery.
@Suite("Celery preset (django-celery-results)")
struct CeleryPresetTests {
    @Test("recover, reset, undo and purge leave rows Celery reads back without errors", arguments: TestBackend.allCases)
    func celeryReadsBack(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let celery = try CeleryHarness(backend: "django", url: database.urlString)
        try celery.setup()
        for (id, state) in [("stuck-1", "STARTED"), ("live-2", "STARTED"), ("done-3", "SUCCESS")] { try celery.store(id, state: state) }
        let db = try database.connect()
        defer { db.close() }
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        // Time passes: the first task started two hours ago, the third finished two days ago.
        try db.execute("UPDATE django_celery_results_taskresult SET date_created = \(p(1)) WHERE task_id = 'stuck-1'", [.timestamp(now.adding(seconds: -7_200))])
        try db.execute("UPDATE django_celery_results_taskresult SET date_done = \(p(1)) WHERE task_id = 'done-3'", [.timestamp(now.adding(seconds: -172_800))])

        let migrated = try DatabaseDrivers.queue(try database.url)
        defer { migrated.close() }
        let url = try database.url
        _ = try Migrator(
            connection: db, set: MigrationSet.builtIn(for: db.dialect), options: MigratorOptions(),
            openLockConnection: { try DatabaseDrivers.connect(url) }
        ).up()
        let config = try TaskWardenConfiguration.parse("table: {preset: celery_django}\nstuck: {older_than: 10m}")
        let (recovered, reset) = try migrated.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            (try runs.recover(RecoverOptions(policy: config.stuck, reason: "worker host died")),
             try runs.reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "deploy rolled back"))
        }
        #expect(recovered.changed.count == 1)
        #expect(reset.changed.count == 1)

        let failed = try celery.read("stuck-1")
        #expect(failed["state"] as? String == "FAILURE", "\(failed)")
        #expect(failed["failed"] as? Bool == true, "\(failed)")
        #expect(failed["result_type"] as? String == "WorkerLostError", "\(failed)")
        #expect((failed["traceback"] as? String)?.contains("worker host died") == true, "\(failed)")
        #expect(failed.keys.filter { $0.hasSuffix("_error") }.isEmpty, "Celery could not read the row: \(failed)")
        let revoked = try celery.read("live-2")
        #expect(revoked["state"] as? String == "REVOKED", "\(revoked)")
        #expect(revoked["result_type"] as? String == "TaskRevokedError", "\(revoked)")
        #expect(revoked.keys.filter { $0.hasSuffix("_error") }.isEmpty, "Celery could not read the row: \(revoked)")

        try migrated.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            _ = try runs.undo(batchID: try #require(reset.batchID))
            _ = try runs.undo(batchID: try #require(recovered.batchID))
        }
        for id in ["stuck-1", "live-2"] {
            let back = try celery.read(id)
            #expect(back["state"] as? String == "STARTED", "\(back)")
            #expect((back["result"] as? [String: Any])?["pid"] as? Int == 4242, "\(back)")
            #expect(back.keys.filter { $0.hasSuffix("_error") }.isEmpty, "\(back)")
        }

        let purged = try migrated.withTaskRuns(table: config.table) { (runs: TaskRuns) throws in
            try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])))
        }
        #expect(purged.rows == 1)
        #expect(try celery.read("done-3")["state"] as? String == "PENDING")  // Celery's word for a task it has no row for
        #expect(try celery.read("stuck-1")["state"] as? String == "STARTED")
    }
}
