import Foundation
import Synchronization
import TaskWarden
import TaskWardenTestSupport
import Testing

/// An undo whose runs another session holds: it waits for them, then reads them as that session
/// left them.
///
/// On PostgreSQL a page is one statement (`sql/undo/restore_page.postgresql.sql`) that locks the
/// runs, restores them and journals what it overwrote; a run committed by another session after
/// the statement began must be read at its newest version, by the lock and by the update alike.
/// MySQL (its lock statement) and SQLite (one writer) hold to the same outcome.
@Suite("Undo: runs another session holds")
struct UndoLockWaitTests {
    @Test("the undo waits, restores the run whose note changed and journals that note, leaves alone the run that failed", arguments: TestBackend.allCases)
    func undoWaitsAndReadsTheNewestRow(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let ids = try (0..<5).map { _ in try fixture.insert(startedMinutesAgo: 30, heartbeatMinutesAgo: 1) }
        let reset = try fixture.runs.reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "INC-7")
        let batch = try #require(reset.batchID)
        let (noted, failed) = (ids[1], ids[3])

        // Another session changes two of the cancelled runs and holds them until it commits.
        let other = try fixture.database.connect()
        defer { other.close() }
        let p = other.dialect.placeholder
        try other.execute(backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN", [])
        try other.execute("UPDATE task_runs SET error = 'seen by the worker' WHERE id = \(p(1))", [.integer(noted)])
        try other.execute("UPDATE task_runs SET status = 'failed' WHERE id = \(p(1))", [.integer(failed)])

        // The undo on a thread of its own (not a task: the tests' blocking work can hold every
        // thread of the cooperative pool for seconds).
        let url = try fixture.database.url
        let outcome = Mutex<Result<(restored: Int, skipped: Int, batch: String?), any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { () throws -> (restored: Int, skipped: Int, batch: String?) in
                let connection = try DatabaseDrivers.connect(url)
                defer { connection.close() }
                let undo = try TaskRuns(connection: connection, actor: "tester").undo(batchID: batch)
                return (undo.restored.count, undo.skipped.count, undo.batchID)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        if backend == .postgresql {
            // Commit only once the undo waits for the other session's row locks.
            let waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            let deadline = Date().addingTimeInterval(10)
            while try fixture.connection.queryValue(Int.self, waiting) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            #expect(try fixture.connection.queryValue(Int.self, waiting) == 1, "the undo waited for the runs the other session holds")
        } else {
            Thread.sleep(forTimeInterval: 0.3)
        }
        try other.execute("COMMIT", [])

        #expect(finished.wait(timeout: .now() + 30) == .success, "the undo ended once the other session committed")
        let result = try #require(outcome.withLock { $0 }).get()
        #expect(result.restored == 4)
        #expect(result.skipped == 1)
        #expect(try fixture.status(of: failed) == "failed", "a run that moved on is left alone")
        for id in ids where id != failed {
            #expect(try fixture.status(of: id) == "running")
            #expect(try fixture.row(id)["error"] == .null, "undo put back the note the reset overwrote")
        }
        let undoBatch = try #require(result.batch)
        let entries = try fixture.runs.journal(batchID: undoBatch)
        #expect(Set(entries.map(\.runID)) == Set(ids.filter { $0 != failed }.map(String.init)), "one undo entry per restored run, none for the run left alone")
        let notedEntry = try #require(entries.first { $0.runID == String(noted) })
        #expect(notedEntry.oldValues["note"] == .text("seen by the worker"), "the undo journaled the note as the other session left it")
    }
}
