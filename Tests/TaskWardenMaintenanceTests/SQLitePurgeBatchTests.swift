import Foundation
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

@testable import TaskWardenMaintenance

/// How a purge's batches write on SQLite, whose one write lock every other writer waits for:
/// the write-ahead log starts over beside a writer, and the primary-key walk reads each batch
/// before its short write transaction.
@Suite("SQLite purge batches")
struct SQLitePurgeBatchTests {
    static let day = 24.0 * 60

    // MARK: - The write-ahead log

    /// The size of the SQLite database's write-ahead log file, in bytes (0 when absent).
    private static func logSize(_ fixture: RunFixture) throws -> Int {
        guard case .file(let path) = try fixture.database.url.sqliteLocation else { return 0 }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test(
        "beside a writer that commits between batches and never checkpoints, the log starts over at each batch instead of growing",
        arguments: PurgeOrder.allCases)
    func logStartsOver(order: PurgeOrder) throws {
        let fixture = try RunFixture(.sqlite)
        defer { fixture.close() }
        try fixture.connection.inTransaction { _ in
            for index in 0..<400 {
                try fixture.insert(status: "succeeded", startedMinutesAgo: 100 * Self.day + 1, finishedMinutesAgo: 100 * Self.day - Double(index % 37))
            }
        }
        let live = try fixture.insert(status: "running")
        _ = try fixture.connection.query("PRAGMA wal_checkpoint(TRUNCATE)", [])
        // A worker on a connection of its own, as an application's: it heartbeats between the
        // purge's batches, and leaves checkpoints to others.
        let worker = try fixture.database.connect()
        defer { worker.close() }
        try worker.execute("PRAGMA wal_autocheckpoint = 0", [])

        var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)]))
        options.batchSize = 20
        options.order = order
        var afterFirstBatch: Int?
        var batches = 0
        let summary = try fixture.runs.purge(options) { _ in
            batches += 1
            if afterFirstBatch == nil { afterFirstBatch = try? Self.logSize(fixture) }
            _ = try? worker.execute("UPDATE task_runs SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = \(live)", [])
        }
        #expect(summary.rows == 400)
        #expect(batches >= 10)
        let first = try #require(afterFirstBatch)
        #expect(first > 0)
        // Appending, the log would end at `batches` times its size after one batch or more; started
        // over, it stays the size of the largest batch (later ones change a few more pages, as
        // emptied pages are freed: up to three times the first here).
        let last = try Self.logSize(fixture)
        #expect(last <= 5 * first, "\(order): \(last) bytes after \(batches) batches, \(first) after one")
    }

    // MARK: - The primary-key walk's batches

    @Test("a batch's ids are read first: the range is cut after the limit-th purgeable row, and its delete checks status and age again")
    func readFirstThenDelete() throws {
        let fixture = try RunFixture(.sqlite)
        defer { fixture.close() }
        var ids: [Int64] = []
        try fixture.connection.inTransaction { _ in
            for index in 0..<30 {
                // Every third run finished 100 days ago, the others yesterday.
                let finished = index % 3 == 2 ? 100 * Self.day : Self.day
                ids.append(try fixture.insert(status: "succeeded", startedMinutesAgo: finished + 1, finishedMinutesAgo: finished))
            }
        }
        let names = TaskTable.taskRuns.identifiers
        let cutoff = DatabaseValue.timestamp(fixture.ago(minutes: 30 * Self.day))
        let arms = [SQL.Purge.SelectIdBatch.Arm(status: .text("succeeded"), cutoff: cutoff)]
        func read(after: Int64?, span: Int, limit: Int) throws -> [SQL.Purge.SelectIdBatch.Row] {
            try fixture.connection.query(
                SQL.Purge.SelectIdBatch(
                    kind: .null, exceptKinds: [], afterId: after.map { .integer($0) } ?? .null, span: .integer(Int64(span)),
                    limit: .integer(Int64(limit)), arms: arms, after: after != nil),
                names: names)
        }

        // 12 rows hold 4 purgeable ones: the batch stops at the second.
        let cut = try read(after: nil, span: 12, limit: 2)
        try #require(cut.count == 2)
        #expect(cut[0].id == .integer(ids[5]))
        #expect(try cut[0].decode(Bool.self, .more))
        #expect(try cut[0].decode(Int.self, .n) == 6)
        #expect(cut[1].ids == .text("[\(ids[2]),\(ids[5])]"))
        #expect(try cut[1].decode(Int.self, .n) == 2)

        // The table's last rows: not cut, fewer than the span, no more.
        let end = try read(after: ids[26], span: 12, limit: 5)
        #expect(end[0].id == .integer(ids[29]))
        #expect(try !end[0].decode(Bool.self, .more))
        #expect(end[1].ids == .text("[\(ids[29])]"))
        #expect(try read(after: ids[29], span: 12, limit: 5).first?.id == .null, "past the end: no range")

        // A run requeued between the read and the delete stays.
        try fixture.connection.execute("UPDATE task_runs SET status = 'queued' WHERE id = \(ids[2])", [])
        let deleted = try fixture.connection.execute(SQL.Purge.DeleteIds(idsJson: cut[1].ids, status: .text("succeeded"), cutoff: cutoff, kind: .null, exceptKinds: []), names: names)
        #expect(deleted == 1)
        #expect(try fixture.status(of: ids[2]) == "queued")
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE id = \(ids[5])") == 0)
    }

    @Test("the primary-key walk deletes at most a batch of rows per batch, however dense the range")
    func batchesHoldABatch() throws {
        let fixture = try RunFixture(.sqlite)
        defer { fixture.close() }
        try fixture.connection.inTransaction { _ in
            for index in 0..<40 {
                try fixture.insert(status: "succeeded", startedMinutesAgo: 100 * Self.day + 1, finishedMinutesAgo: 100 * Self.day - Double(index % 7))
            }
        }
        var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)]))
        options.batchSize = 5
        options.order = .primaryKey
        var sizes: [Int] = []
        var before = 0
        let summary = try fixture.runs.purge(options) { progress in
            sizes.append(progress.rowsSoFar - before)
            before = progress.rowsSoFar
        }
        #expect(summary.rows == 40)
        #expect(sizes.count >= 8)
        #expect(sizes.allSatisfy { $0 <= 5 }, "\(sizes)")
    }

    @Test(
        "a batch's purgeable rows are sized for a short write transaction: fewer after a slow one, up to twice as many after a full fast one, between a tenth of the batch size and the batch size"
    )
    func cursorSizing() {
        var cursor = Purger.IdCursor(batchSize: 5_000)
        #expect(cursor.limit == 5_000)
        #expect(Purger.IdCursor.transactionTarget == .milliseconds(50))
        cursor.adapt(rows: 5_000, took: .milliseconds(250))
        #expect(cursor.limit == 1_000)
        cursor.adapt(rows: 1_000, took: .milliseconds(100))
        #expect(cursor.limit == 500)
        cursor.adapt(rows: 500, took: .milliseconds(500))
        #expect(cursor.limit == 500, "never below a tenth of the batch size")
        cursor.adapt(rows: 500, took: .milliseconds(10))
        #expect(cursor.limit == 1_000, "at most twice as many at once")
        cursor.adapt(rows: 300, took: .milliseconds(1))
        #expect(cursor.limit == 1_000, "a batch that was not full says nothing about a full one")
        for _ in 0..<5 { cursor.adapt(rows: cursor.limit, took: .milliseconds(1)) }
        #expect(cursor.limit == 5_000, "never above the batch size")

        // The span: about `limit` purgeable rows at the last range's density.
        cursor.adapt(rows: 5_000, took: .milliseconds(100))
        #expect(cursor.limit == 2_500)
        cursor.adapt(purgeable: 1_000, of: 3_000)
        #expect(cursor.span == 7_500)
        cursor.adapt(purgeable: 0, of: 3_000)
        #expect(cursor.span == 40_000)
        cursor.adapt(purgeable: 3_000, of: 3_000)
        #expect(cursor.span == 2_500)

        // Sized by time, the walk starts at a quarter of the batch size, and grows from there.
        var timed = Purger.IdCursor(batchSize: 5_000, timed: true)
        #expect(timed.limit == 1_250 && timed.span == 2_500)
        timed.adapt(rows: 1_250, took: .milliseconds(10))
        #expect(timed.limit == 2_500)
        #expect(Purger.IdCursor(batchSize: 5, timed: true).limit == 1)
    }
}
