import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// An undo is as undoable as the change it reverses: change, undo, undo of the undo leaves
/// every column as the change left it.
@Suite("Undo of an undo")
struct UndoRoundTripTests {
    /// Every row of `table`, in id order, all columns.
    private func snapshot(_ db: any DatabaseConnection, _ table: String) throws -> [Row] {
        try db.query("SELECT * FROM \(table) ORDER BY id")
    }

    /// Undoes `batch`, then the undo, checking the table after each step.
    private func roundTrip(_ runs: TaskRuns, batch: String, tables: [String], before: [[Row]]) throws {
        let db = runs.connection
        let changed = try tables.map { try snapshot(db, $0) }
        let undo = try runs.undo(batchID: batch)
        #expect(!undo.restored.isEmpty)
        #expect(undo.skipped.isEmpty)
        #expect(try tables.map { try snapshot(db, $0) } == before, "the undo did not restore the table")
        let redo = try runs.undo(batchID: try #require(undo.batchID))
        #expect(redo.restored.count == undo.restored.count)
        #expect(try tables.map { try snapshot(db, $0) } == changed, "undoing the undo did not bring back what the change set")
        // And once more: the undo of the undo is itself undoable.
        let again = try runs.undo(batchID: try #require(redo.batchID))
        #expect(again.restored.count == undo.restored.count)
        #expect(try tables.map { try snapshot(db, $0) } == before)
    }

    @Test("reset to failed, reset to queued, recover and cancel: change -> undo -> undo of undo", arguments: TestBackend.allCases)
    func taskRuns(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try fixture.insert(kind: "a", startedMinutesAgo: 90, heartbeatMinutesAgo: 60)
        try fixture.insert(kind: "b", startedMinutesAgo: 90, heartbeatMinutesAgo: 50)
        try fixture.insert(kind: "c", status: "succeeded", startedMinutesAgo: 300, finishedMinutesAgo: 200)
        try fixture.insert(kind: "d", status: "queued", startedMinutesAgo: nil)

        for (filter, target) in [
            (ResetFilter(statuses: [.running], kinds: ["a"]), TaskStatus.failed), (ResetFilter(statuses: [.running], kinds: ["b"]), .queued),
            (ResetFilter(statuses: [.succeeded]), .cancelled),
        ] {
            let before = [try snapshot(db, "task_runs")]
            let reset = try fixture.runs.reset(filter, to: target, reason: "round trip")
            try roundTrip(fixture.runs, batch: try #require(reset.batchID), tables: ["task_runs"], before: before)
        }
        let beforeRecover = [try snapshot(db, "task_runs")]
        let recovered = try fixture.runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), reason: "host died"))
        #expect(recovered.changed.count == 2)
        try roundTrip(fixture.runs, batch: try #require(recovered.batchID), tables: ["task_runs"], before: beforeRecover)

        let beforeCancel = [try snapshot(db, "task_runs")]
        let cancel = try fixture.runs.requestCancel(kinds: ["d"], reason: "stop")
        try roundTrip(fixture.runs, batch: try #require(cancel.batchID), tables: ["task_runs"], before: beforeCancel)
    }

    @Test("a mapped table with a parent: change -> undo -> undo of undo, both tables", arguments: TestBackend.allCases)
    func mappedWithParent(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE rt_task (id INTEGER PRIMARY KEY, name VARCHAR(100), status VARCHAR(20) NOT NULL)", [])
        try db.execute("""
            CREATE TABLE rt_execution (id INTEGER PRIMARY KEY, task_id INTEGER, status VARCHAR(20) NOT NULL,
                started_at TIMESTAMP NULL, finished_at TIMESTAMP NULL, error_message TEXT)
            """, [])
        try db.execute("INSERT INTO rt_task (id, name, status) VALUES (1, 'collect-cve', 'RUNNING'), (2, 'collect-cnvd', 'PENDING')", [])
        let p = db.dialect.placeholder
        for (id, task, status, minutes) in [(1, 1, "RUNNING", 180.0), (2, 2, "RUNNING", 120), (3, 2, "SUCCESS", 600)] {
            try db.execute(
                "INSERT INTO rt_execution (id, task_id, status, started_at, finished_at, error_message) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)))",
                [.integer(Int64(id)), .integer(Int64(task)), .text(status), .timestamp(fixture.ago(minutes: minutes)),
                 status == "SUCCESS" ? .timestamp(fixture.ago(minutes: minutes - 5)) : .null, status == "SUCCESS" ? .text("earlier note") : .null])
        }
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: rt_execution
              columns: {started_at: started_at, finished_at: finished_at, error: error_message}
              statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
              parent:
                name: rt_task
                key: task_id
                statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let tables = ["rt_execution", "rt_task"]

        let before = try tables.map { try snapshot(db, $0) }
        let recovered = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(3_600)), reason: "host died"))
        #expect(Set(recovered.changed.byTable.keys) == ["rt_execution", "rt_task"])
        try roundTrip(runs, batch: try #require(recovered.batchID), tables: tables, before: before)

        let beforeReset = try tables.map { try snapshot(db, $0) }
        let reset = try runs.reset(ResetFilter(statuses: [.succeeded, .running]), to: .cancelled, reason: "INC-7")
        #expect(reset.changed.count == 5)
        try roundTrip(runs, batch: try #require(reset.batchID), tables: tables, before: beforeReset)
    }
}
