import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The `celery_taskmeta` presets on the table Celery's own database backend (SQLAlchemy)
/// creates, written and read by Celery.
@Suite("Celery presets (celery_taskmeta, SQLAlchemy backend)")
struct CeleryTaskmetaPresetTests {
    /// A preset as a configuration would select it.
    struct Variant: Sendable, CustomTestStringConvertible {
        let name: String
        let extended: Bool
        let configuration: String
        /// The venv whose Celery reads the rows (Celery 5.7 unless said).
        var pythonVariable = "TASKWARDEN_TEST_CELERY_PYTHON"
        var testDescription: String { name }

        static let all = [
            Variant(name: "celery_taskmeta", extended: false, configuration: "table: {preset: celery_taskmeta}"),
            Variant(name: "celery_taskmeta_extended", extended: true, configuration: "table: {preset: celery_taskmeta_extended}"),
            // Celery 5.7+ only: the exception as the JSON serializer's own bytes, no pickle.
            Variant(
                name: "celery_taskmeta with encoding: bytes", extended: false,
                configuration: #"""
                    table:
                      preset: celery_taskmeta
                      set_on:
                        failed: {result: {encoding: bytes, value: '{"exc_type": "WorkerLostError", "exc_message": [{note_json}], "exc_module": "billiard.exceptions"}'}}
                        cancelled: {result: {encoding: bytes, value: '{"exc_type": "TaskRevokedError", "exc_message": [{note_json}], "exc_module": "celery.exceptions"}'}}
                    """#),
            // Celery 5.6: result is a PickleType, which unpickles the preset's pickle natively.
            Variant(
                name: "celery_taskmeta_extended on Celery 5.6", extended: true, configuration: "table: {preset: celery_taskmeta_extended}",
                pythonVariable: "TASKWARDEN_TEST_CELERY56_PYTHON"),
        ]
    }

    @Test(
        "recover, reset, undo and purge leave rows Celery reads back without errors",
        arguments: TestBackend.allCases, Variant.all)
    func celeryReadsBack(backend: TestBackend, variant: Variant) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let celery = try CeleryHarness(backend: "sqlalchemy", url: database.urlString, extended: variant.extended, pythonVariable: variant.pythonVariable)
        try celery.setup()
        for (id, state) in [("stuck-1", "STARTED"), ("live-2", "STARTED"), ("done-3", "SUCCESS")] { try celery.store(id, state: state) }
        let db = try database.connect()
        defer { db.close() }
        // Celery (4.4 on) leaves a STARTED row's date_done empty: such a run has no age.
        #expect(try db.queryFirst("SELECT date_done FROM celery_taskmeta WHERE task_id = 'live-2'")?["date_done"] == .null)
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        // Time passes. The first task's row carries a start two hours ago (as Celery before 4.4
        // stamped STARTED rows); the third finished two days ago.
        try db.execute("UPDATE celery_taskmeta SET date_done = \(p(1)) WHERE task_id = 'stuck-1'", [.timestamp(now.adding(seconds: -7_200))])
        try db.execute("UPDATE celery_taskmeta SET date_done = \(p(1)) WHERE task_id = 'done-3'", [.timestamp(now.adding(seconds: -172_800))])

        let queue = try PresetFixture.migratedQueue(database, db)
        defer { queue.close() }
        let config = try TaskWardenConfiguration.parse(variant.configuration + "\nstuck: {older_than: 10m}")
        let (stuck, recovered, reset) = try queue.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            (try runs.findStuck(policy: config.stuck),
             try runs.recover(RecoverOptions(policy: config.stuck, reason: "worker host died")),
             try runs.reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "deploy rolled back"))
        }
        // Only the run with a time is stuck; the one without stays for reset.
        #expect(stuck.count == 1)
        #expect(stuck.first?.kind == (variant.extended ? "tasks.crawl" : nil))
        #expect(recovered.changed.count == 1)
        #expect(reset.changed.count == 1)

        try PresetFixture.expectCelery(celery, reads: "stuck-1", as: "FAILURE", exception: "WorkerLostError")
        let failed = try celery.read("stuck-1")
        #expect((failed["result"] as? String)?.contains("worker host died") == true, "\(failed)")
        #expect((failed["traceback"] as? String)?.contains("worker host died") == true, "\(failed)")
        #expect(failed["date_done"] as? String != nil, "\(failed)")
        try PresetFixture.expectCelery(celery, reads: "live-2", as: "REVOKED", exception: "TaskRevokedError")
        #expect(try celery.read("live-2")["ready"] as? Bool == true)

        try PresetFixture.undo([reset.batchID, recovered.batchID], on: queue, table: config.table)
        try PresetFixture.expectCeleryStarted(celery, ["stuck-1", "live-2"])
        // The start that shares date_done comes back as it was: empty, or the old stamp.
        #expect(try db.queryFirst("SELECT date_done FROM celery_taskmeta WHERE task_id = 'live-2'")?["date_done"] == .null)
        #expect(try db.queryFirst("SELECT date_done FROM celery_taskmeta WHERE task_id = 'stuck-1'")?["date_done"] != .null)

        let purged = try queue.withTaskRuns(table: config.table) { (runs: TaskRuns) throws in
            try runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])))
        }
        #expect(purged.rows == 1)
        #expect(try celery.read("done-3")["state"] as? String == "PENDING")  // Celery's word for a task it has no row for
        #expect(try celery.read("stuck-1")["state"] as? String == "STARTED")
    }
}
