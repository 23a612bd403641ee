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

        let migrated = try PresetFixture.migratedQueue(database, db)
        defer { migrated.close() }
        let config = try TaskWardenConfiguration.parse("table: {preset: celery_django}\nstuck: {older_than: 10m}")
        let (recovered, reset) = try migrated.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            (try runs.recover(RecoverOptions(policy: config.stuck, reason: "worker host died")),
             try runs.reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "deploy rolled back"))
        }
        #expect(recovered.changed.count == 1)
        #expect(reset.changed.count == 1)

        try PresetFixture.expectCelery(celery, reads: "stuck-1", as: "FAILURE", exception: "WorkerLostError")
        #expect((try celery.read("stuck-1")["traceback"] as? String)?.contains("worker host died") == true)
        try PresetFixture.expectCelery(celery, reads: "live-2", as: "REVOKED", exception: "TaskRevokedError")

        try PresetFixture.undo([reset.batchID, recovered.batchID], on: migrated, table: config.table)
        try PresetFixture.expectCeleryStarted(celery, ["stuck-1", "live-2"])

        let purged = try migrated.withTaskRuns(table: config.table) { (runs: TaskRuns) throws in
            try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])))
        }
        #expect(purged.rows == 1)
        #expect(try celery.read("done-3")["state"] as? String == "PENDING")  // Celery's word for a task it has no row for
        #expect(try celery.read("stuck-1")["state"] as? String == "STARTED")
    }
}
