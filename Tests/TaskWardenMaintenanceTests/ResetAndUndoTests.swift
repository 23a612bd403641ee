import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

@Suite("Emergency reset and undo")
struct ResetAndUndoTests {
    @Test("reset journals every row; undo restores exactly the rows still in the reset status", arguments: TestBackend.allCases)
    func resetThenUndo(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let targets = try (0..<7).map { _ in try fixture.insert(kind: "publish", startedMinutesAgo: 5, heartbeatMinutesAgo: 1) }
        let otherKind = try fixture.insert(kind: "report", startedMinutesAgo: 5)
        let queued = try fixture.insert(kind: "publish", status: "queued", startedMinutesAgo: nil)
        let filter = ResetFilter(statuses: [.running], kinds: ["publish"])

        let preview = try fixture.runs.previewReset(filter, reason: "bad deploy", sampleSize: 3)
        #expect(preview.count == 7)
        #expect(preview.sample.count == 3)
        #expect(try fixture.journalCount() == 0)

        let result = try fixture.runs.reset(filter, to: .cancelled, reason: "bad deploy")
        #expect(result.changed.count == 7)
        #expect(result.skipped == 0)
        let batch = try #require(result.batchID)
        #expect(try fixture.journalCount(batch: batch) == 7)
        for id in targets { #expect(try fixture.status(of: id) == "cancelled") }
        #expect(try fixture.status(of: otherKind) == "running")
        #expect(try fixture.status(of: queued) == "queued")
        #expect(try fixture.row(targets[0]).decode(String.self, "error").contains("bad deploy"))

        // Two runs move on after the reset: undo must leave them alone.
        let p = fixture.connection.dialect.placeholder
        try fixture.connection.execute("UPDATE task_runs SET status = 'queued' WHERE id = \(p(1))", [.integer(targets[0])])
        try fixture.connection.execute("UPDATE task_runs SET status = 'failed' WHERE id = \(p(1))", [.integer(targets[1])])

        let dry = try fixture.runs.undo(batchID: batch, dryRun: true)
        #expect(dry.restored.count == 5)
        #expect(dry.skipped.count == 2)
        #expect(try fixture.status(of: targets[2]) == "cancelled")

        let undo = try fixture.runs.undo(batchID: batch)
        #expect(undo.restored.count == 5)
        #expect(Set(undo.skipped.sample.map(\.runID)) == [String(targets[0]), String(targets[1])])
        #expect(Set(undo.skipped.sample.compactMap(\.currentStatus)) == ["queued", "failed"])
        #expect(try fixture.status(of: targets[0]) == "queued")
        #expect(try fixture.status(of: targets[1]) == "failed")
        for id in targets.dropFirst(2) {
            #expect(try fixture.status(of: id) == "running")
            let row = try fixture.row(id)
            #expect(row["finished_at"] == .null, "undo did not restore finished_at")
            #expect(row["error"] == .null, "undo did not restore the error column")
        }
        let undoBatch = try #require(undo.batchID)
        #expect(try fixture.runs.journal(batchID: undoBatch).allSatisfy { $0.operation == .undo && $0.newStatus == "running" })
    }

    @Test("undo of a requeue restores start time, heartbeat and worker", arguments: TestBackend.allCases)
    func undoRequeue(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let id = try fixture.insert(startedMinutesAgo: 90, heartbeatMinutesAgo: 60)
        let before = try fixture.row(id)
        let result = try fixture.runs.reset(ResetFilter(statuses: [.running], ids: [String(id)]), to: .queued, reason: "retry")
        #expect(try fixture.status(of: id) == "queued")
        #expect(try fixture.row(id)["started_at"] == .null)
        _ = try fixture.runs.undo(batchID: try #require(result.batchID))
        let after = try fixture.row(id)
        #expect(after["status"] == .text("running"))
        #expect(try after.decode(Timestamp.self, "started_at") == before.decode(Timestamp.self, "started_at"))
        #expect(try after.decode(Timestamp.self, "heartbeat_at") == before.decode(Timestamp.self, "heartbeat_at"))
        #expect(after["worker"] == .text("worker-1"))
    }

    @Test("a large reset runs in batches and walks the whole selection; its undo restores every run", arguments: TestBackend.allCases)
    func largeReset(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        // More runs than the journal lists by default, and not a multiple of the batch size.
        let count = TaskRuns.journalListingLimit + 17
        try fixture.connection.inTransaction { _ in
            for _ in 0..<count { try fixture.insert(startedMinutesAgo: 300) }
        }
        let result = try fixture.runs.reset(
            ResetFilter(statuses: [.running], olderThan: .seconds(3_600)), to: .failed, reason: "outage", options: BulkOptions(batchSize: 1_000))
        #expect(result.changed.count == count)
        // Batches of 1 000: eleven, each timed.
        #expect(result.changed.batches == (count + 999) / 1_000)
        #expect(result.changed.longestBatch > .zero && result.changed.longestBatch < .seconds(60))
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == count)
        let batch = try #require(result.batchID)
        #expect(try fixture.journalCount(batch: batch) == count)
        let undo = try fixture.runs.undo(batchID: batch, options: BulkOptions(batchSize: 2_000))
        #expect(undo.restored.count == count)
        #expect(undo.restored.batches == (count + 1_999) / 2_000 && undo.restored.longestBatch > .zero)
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == count)
    }

    @Test("without the journal table, journal and undo name the fix", arguments: TestBackend.allCases)
    func missingJournal(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let db = try database.connect()
        defer { db.close() }
        let runs = TaskRuns(connection: db, actor: "tester")
        let listing = try #require(throws: MaintenanceError.self) { try runs.journal() }
        #expect(listing.kind == .journalMissing)
        #expect(listing.description.contains("taskwarden migrate"))
        let undo = try #require(throws: MaintenanceError.self) { try runs.undo(batchID: "20260101-000000-abcdef12") }
        #expect(undo.kind == .journalMissing)
        #expect(undo.description.contains("taskwarden migrate"))
    }

    @Test("undo stops between its pages when asked (the dashboard's cancel button): the pages done stay, journaled, and an undo run again restores the rest", arguments: TestBackend.allCases)
    func undoStopsBetweenPages(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let targets = try (0..<10).map { _ in try fixture.insert(kind: "publish", startedMinutesAgo: 5, heartbeatMinutesAgo: 1) }
        let batch = try #require(try fixture.runs.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "drill").batchID)
        // Asked to stop once three pages of two entries are done.
        final class Pages: @unchecked Sendable { var done = 0 }
        let pages = Pages()
        let options = BulkOptions(batchSize: 2, progress: { pages.done = $0.batches }, shouldStop: { pages.done >= 3 })
        let stopped = try fixture.runs.undo(batchID: batch, options: options)
        #expect(stopped.restored.count == 6)
        #expect(stopped.restored.batches == 3)
        let undoBatch = try #require(stopped.batchID)
        #expect(try fixture.journalCount(batch: undoBatch) == 6)
        #expect(try targets.filter { try fixture.status(of: $0) == "running" }.count == 6)
        let rest = try fixture.runs.undo(batchID: batch)
        #expect(rest.restored.count == 4, "the rest; the six put back have moved on from the batch's status")
        for id in targets { #expect(try fixture.status(of: id) == "running") }
    }
}

