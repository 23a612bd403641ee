import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

@Suite("Retention purge")
struct PurgeTests {
    static let day = 24.0 * 60

    /// 40 succeeded and 30 failed runs of mixed ages, plus old-looking queued and running runs.
    private func seed(_ fixture: RunFixture) throws {
        try fixture.connection.inTransaction { _ in
            for index in 0..<40 {
                try fixture.insert(kind: index % 2 == 0 ? "report" : "crawl", status: "succeeded", startedMinutesAgo: 200 * Self.day, finishedMinutesAgo: Double(index % 4 == 0 ? 10 : 100) * Self.day + Double(index))
            }
            for index in 0..<30 {
                try fixture.insert(kind: "crawl", status: "failed", startedMinutesAgo: 200 * Self.day, finishedMinutesAgo: Double(index % 3 == 0 ? 10 : 40) * Self.day + Double(index))
            }
            // Never purged, whatever their timestamps say.
            try fixture.insert(status: "running", startedMinutesAgo: 300 * Self.day, finishedMinutesAgo: 300 * Self.day)
            try fixture.insert(status: "queued", startedMinutesAgo: nil, finishedMinutesAgo: 300 * Self.day)
        }
    }

    private func count(_ fixture: RunFixture, _ condition: String = "1 = 1") throws -> Int {
        try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE \(condition)")
    }

    static let retention = RetentionPolicy(statuses: [.succeeded: .seconds(90 * 86_400), .failed: .seconds(30 * 86_400)])

    @Test("only rows past their retention go; queued and running never; dry run deletes nothing", arguments: TestBackend.allCases)
    func retentionAndDryRun(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try seed(fixture)
        var options = PurgeOptions(retention: Self.retention)
        options.batchSize = 7
        options.dryRun = true
        let dry = try fixture.runs.purge(options)
        #expect(dry.rows == 30 + 20)
        #expect(Set(dry.wouldDelete.map(\.status)) == ["succeeded", "failed"])
        #expect(try count(fixture) == 72, "the dry run deleted rows")

        options.dryRun = false
        let summary = try fixture.runs.purge(options)
        #expect(summary.rows == 50)
        #expect(summary.passes.first { $0.value == "succeeded" }?.batches == 5)
        #expect(try count(fixture, "status = 'succeeded'") == 10)
        #expect(try count(fixture, "status = 'failed'") == 10)
        #expect(try count(fixture, "status IN ('queued', 'running')") == 2)
        #expect(try fixture.runs.purge(PurgeOptions(retention: Self.retention)).rows == 0)
        #expect(throws: MaintenanceError(.noRetention)) { try fixture.runs.purge(PurgeOptions(retention: RetentionPolicy())) }
    }

    @Test("statuses finished at the same time go in the same batches, each by its own cutoff", arguments: TestBackend.allCases)
    func statusesWalkedTogether(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let statuses = ["succeeded", "failed", "cancelled"]
        try fixture.connection.inTransaction { _ in
            for index in 0..<30 {
                try fixture.insert(status: statuses[index % 3], startedMinutesAgo: 60 * Self.day, finishedMinutesAgo: 50 * Self.day + Double(index))
            }
        }
        var options = PurgeOptions(
            retention: RetentionPolicy(statuses: [.succeeded: .seconds(10 * 86_400), .failed: .seconds(10 * 86_400), .cancelled: .seconds(60 * 86_400)]))
        options.batchSize = 4
        var batchRows: [Int] = []
        var rowsSoFar = 0
        let summary = try fixture.runs.purge(
            options,
            progress: { progress in
                batchRows.append(progress.rowsSoFar - rowsSoFar)
                rowsSoFar = progress.rowsSoFar
            })
        #expect(batchRows == [4, 4, 4, 4, 4], "every batch is full and none is larger than the batch size")
        #expect(summary.passes.map(\.value).sorted() == ["cancelled", "failed", "succeeded"])
        #expect(summary.passes.filter { $0.status != .cancelled }.map(\.batches) == [5, 5], "both statuses in every batch")
        #expect(summary.passes.map(\.rows) == [10, 10, 0])
        #expect(try count(fixture, "status = 'cancelled'") == 10)
        #expect(try count(fixture) == 10)
        // A batch shared by two statuses counts half its time to each: so does its longest.
        for pass in summary.passes where pass.rows > 0 {
            #expect(pass.longestBatch <= pass.duration, "\(pass.value): longest batch \(pass.longestBatch) of a \(pass.duration) pass")
        }
    }

    @Test("no pass reports a longest batch longer than the whole pass", arguments: TestBackend.allCases)
    func longestBatchWithinPass(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        // One batch holding both statuses: before, each pass's longest batch was the whole
        // batch while its duration was its share.
        try fixture.insert(status: "succeeded", startedMinutesAgo: 60 * Self.day, finishedMinutesAgo: 50 * Self.day)
        try fixture.insert(status: "failed", startedMinutesAgo: 60 * Self.day, finishedMinutesAgo: 50 * Self.day + 1)
        let summary = try fixture.runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400), .failed: .seconds(86_400)])))
        #expect(summary.rows == 2)
        #expect(summary.passes.filter { $0.rows > 0 }.count == 2)
        for pass in summary.passes where pass.rows > 0 {
            #expect(pass.longestBatch <= pass.duration, "\(pass.value): longest batch \(pass.longestBatch) of a \(pass.duration) pass")
        }
    }

    @Test("per-kind retention overrides the default for its kind only", arguments: TestBackend.allCases)
    func perKind(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try seed(fixture)
        // Reports keep 5 days; everything else 365 days.
        let retention = RetentionPolicy(statuses: [.succeeded: .seconds(365 * 86_400)], kinds: ["report": [.succeeded: .seconds(5 * 86_400)]])
        let summary = try fixture.runs.purge(PurgeOptions(retention: retention))
        #expect(summary.rows == 20)
        #expect(try count(fixture, "kind = 'report'") == 0)
        #expect(try count(fixture, "kind = 'crawl' AND status = 'succeeded'") == 20)
        var onlyCrawl = PurgeOptions(retention: RetentionPolicy(statuses: [.failed: .seconds(86_400)]))
        onlyCrawl.kind = "crawl"
        #expect(try fixture.runs.purge(onlyCrawl).rows == 30)
    }

    @Test(
        "archive holds every purged row exactly once, also when stopped mid-way and run again, in either order",
        arguments: TestBackend.allCases, PurgeOrder.allCases)
    func archiveExactlyOnce(backend: TestBackend, order: PurgeOrder) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try seed(fixture)
        var options = PurgeOptions(retention: Self.retention)
        options.order = order
        options.batchSize = 4
        options.archiveTable = try SQLIdentifier("task_runs_archive")
        var batches = 0
        let first = try fixture.runs.purge(options, progress: { _ in batches += 1 }, shouldStop: { batches >= 3 })
        #expect(first.stoppedEarly == .stopRequested)
        #expect(first.passes.allSatisfy { $0.order == order })
        if order == .finishTime {
            #expect(first.rows == 12)
        } else {
            #expect(first.rows > 0 && first.rows < 50, "a key range holds about a batch: \(first.rows)")
        }
        let second = try fixture.runs.purge(options)
        #expect(first.rows + second.rows == 50)
        let archived = try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs_archive")
        let distinct = try fixture.connection.queryValue(Int.self, "SELECT COUNT(DISTINCT id) FROM task_runs_archive")
        #expect(archived == 50)
        #expect(distinct == 50)
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs_archive WHERE status IN ('queued', 'running')") == 0)
    }

    @Test(
        "export holds every purged row exactly once, also after a batch was written but never committed, in either order",
        arguments: TestBackend.allCases, PurgeOrder.allCases)
    func exportExactlyOnce(backend: TestBackend, order: PurgeOrder) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try seed(fixture)
        let path = try TemporaryDirectory.make().appending("purged.jsonl")
        var options = PurgeOptions(retention: Self.retention)
        options.order = order
        options.batchSize = 6
        options.exportPath = path
        var batches = 0
        _ = try fixture.runs.purge(options, progress: { _ in batches += 1 }, shouldStop: { batches >= 2 })

        // Simulate a kill between writing a batch and committing its delete: rows that are
        // still in the table appended to the export, with the pending marker that precedes them.
        let survivors = try fixture.connection.query("SELECT * FROM task_runs WHERE status = 'failed' ORDER BY id", []).prefix(3)
        let length = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
        let ids = survivors.map { Int64.fromDatabaseValue($0["id"]!)! }
        try JSONSerialization.data(withJSONObject: ["length": length, "ids": ids]).write(to: URL(fileURLWithPath: path + ".pending"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        for row in survivors {
            try handle.write(contentsOf: Data("{\"id\":\(Int64.fromDatabaseValue(row["id"]!)!),\"uncommitted\":true}\n".utf8))
        }
        try handle.close()

        _ = try fixture.runs.purge(options)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let exported = try lines.map { line -> Int64 in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["uncommitted"] == nil, "a batch that never committed stayed in the export")
            return try #require((object["id"] as? NSNumber)?.int64Value)
        }
        #expect(exported.count == 50)
        #expect(Set(exported).count == 50)
        #expect(!FileManager.default.fileExists(atPath: path + ".pending"))
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["status"] as? String == "succeeded" || first["status"] as? String == "failed")
        #expect((first["finished_at"] as? String)?.hasSuffix("Z") == true)
    }

    @Test("max duration stops cleanly between batches", arguments: [TestBackend.sqlite])
    func maxDuration(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try seed(fixture)
        var options = PurgeOptions(retention: Self.retention)
        options.batchSize = 5
        options.pause = .milliseconds(100)
        options.maxDuration = .milliseconds(250)
        let summary = try fixture.runs.purge(options)
        #expect(summary.stoppedEarly == .maxDuration)
        #expect(summary.rows > 0 && summary.rows < 50 && summary.rows % 5 == 0)
    }
}
