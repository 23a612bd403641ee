import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// What "finished" means to stats and to reset: the status, not the finish column alone.
@Suite("Finish times")
struct FinishTimeTests {
    @Test("stats counts only finished statuses as recent finishes, even when the finish column is set on every write", arguments: TestBackend.allCases)
    func statsCountsFinishedStatusesOnly(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        // Django's auto_now sets date_done on every save: queued and running runs carry it too.
        try fixture.insert(status: "queued", startedMinutesAgo: nil, finishedMinutesAgo: 1)
        try fixture.insert(status: "running", startedMinutesAgo: 5, heartbeatMinutesAgo: 1, finishedMinutesAgo: 1)
        try fixture.insert(status: "succeeded", startedMinutesAgo: 5, finishedMinutesAgo: 2)
        try fixture.insert(status: "failed", startedMinutesAgo: 300, finishedMinutesAgo: 120)
        let stats = try fixture.runs.stats()
        #expect(stats.finishedLastHour == ["succeeded": 1])
        #expect(stats.finishedLastDay == ["succeeded": 1, "failed": 1])
    }

    @Test("reset keeps the finish time of a run that was finished, and sets it on one that was not", arguments: TestBackend.allCases)
    func resetKeepsFinishTime(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let finished = try fixture.insert(status: "succeeded", startedMinutesAgo: 200 * 1_440, finishedMinutesAgo: 100 * 1_440)
        // A running run whose finish column was written by an auto_now-style writer.
        let running = try fixture.insert(status: "running", startedMinutesAgo: 300, finishedMinutesAgo: 250)
        let before = try fixture.row(finished).decode(Timestamp.self, "finished_at")

        let result = try fixture.runs.reset(ResetFilter(statuses: [.succeeded, .running]), to: .failed, reason: "INC-1")
        #expect(result.changed.count == 2)
        #expect(try fixture.row(finished).decode(Timestamp.self, "finished_at") == before)
        let runningFinish = try fixture.row(running).decode(Timestamp.self, "finished_at")
        #expect(runningFinish >= fixture.now, "a run that was not finished gets the time it was ended")
        #expect(try fixture.status(of: finished) == "failed")

        // Its purge age is still 100 days: a 30-day failed retention takes it, not the other.
        let purged = try fixture.runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.failed: .seconds(30 * 86_400)])))
        #expect(purged.rows == 1)
        #expect(try fixture.status(of: running) == "failed")

        // Undo still restores exactly what was there.
        let other = try fixture.insert(status: "cancelled", startedMinutesAgo: 90, finishedMinutesAgo: 60)
        let otherBefore = try fixture.row(other).decode(Timestamp.self, "finished_at")
        let second = try fixture.runs.reset(ResetFilter(statuses: [.cancelled]), to: .failed, reason: "INC-2")
        _ = try fixture.runs.undo(batchID: try #require(second.batchID))
        #expect(try fixture.row(other).decode(Timestamp.self, "finished_at") == otherBefore)
        #expect(try fixture.status(of: other) == "cancelled")
    }
}
