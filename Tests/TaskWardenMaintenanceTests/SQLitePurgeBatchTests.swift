import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// How a purge's batches write on SQLite, whose one write lock every other writer waits for:
/// the write-ahead log starts over beside a writer.
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
}
