import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A run that starts to qualify between a batch's journal and its update.
///
/// Only PostgreSQL can show it: at READ COMMITTED (its default) each statement sees what
/// committed before it began, so a worker's start landing between the two statements makes
/// the update change a run the journal does not hold. MySQL's batch lock blocks that start
/// until the batch commits (and MySQL refuses a trigger that would fake it), and SQLite has one
/// writer at a time. A trigger makes the race certain: after the journal statement, once per
/// test (a sequence, which a rollback does not undo), it moves a queued run of the batch to
/// running.
@Suite("Bulk changes: a run that qualifies mid-batch")
struct BulkRaceTests {
    @Test("the batch is rolled back and run again: every changed run journaled, the late one left alone")
    func lateRunIsNotChangedUnjournaled() throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        let db = fixture.connection
        var running: [Int64] = []
        for _ in 0..<4 { running.append(try fixture.insert(status: "running")) }
        let late = try fixture.insert(status: "queued")
        for _ in 0..<4 { running.append(try fixture.insert(status: "running")) }
        try db.execute("CREATE SEQUENCE tw_start_once", [])
        try db.execute(
            """
            CREATE FUNCTION tw_start_late_run() RETURNS trigger AS $$
            BEGIN
                IF nextval('tw_start_once') = 1 THEN
                    UPDATE task_runs SET status = 'running' WHERE id = \(late);
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """, [])
        try db.execute(
            "CREATE TRIGGER tw_start_late_run AFTER INSERT ON task_run_events FOR EACH STATEMENT EXECUTE FUNCTION tw_start_late_run()", [])

        let result = try fixture.runs.reset(
            ResetFilter(statuses: [.running]), to: .cancelled, reason: "INC-1", options: BulkOptions(batchSize: 100))

        #expect(try db.queryValue(Int.self, "SELECT last_value FROM tw_start_once") == 2, "the race happened, and the batch ran twice")
        #expect(result.changed.count == running.count)
        let batch = try #require(result.batchID)
        #expect(try fixture.journalCount(batch: batch) == running.count)
        for id in running { #expect(try fixture.status(of: id) == "cancelled") }
        #expect(try fixture.status(of: late) == "queued", "rolled back with its batch, and not selected again")
    }
}
