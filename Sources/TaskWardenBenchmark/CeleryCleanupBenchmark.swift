import Foundation
import TaskWarden
import TaskWardenSQL

/// The measurements of Celery's result cleanup beside the `celery_taskmeta` preset's purge on
/// one backend.
struct CeleryCleanupResult: Encodable {
    var backend = ""
    var server = ""
    var rows = 0
    var expiredRows = 0
    /// Celery's `backend_cleanup`: its one DELETE, then the server's background cleanup.
    var cleanupSeconds = 0.0
    var cleanupBackgroundSeconds = 0.0
    var purgeSeconds = 0.0
    var purgeBackgroundSeconds = 0.0
    var purgedRows = 0
    var purgeBatches = 0
    var purgeLongestBatchMilliseconds = 0.0
    var purgeOrder = ""
    /// A worker storing results meanwhile: its INSERTs' latencies and failures (on SQLite, a
    /// wait past the busy timeout), during the cleanup's DELETE and during the purge.
    var workerDuringCleanup = WorkerLatencies()
    var workerDuringPurge = WorkerLatencies()
    /// Rows per second of the purge over those of the DELETE, each to the end of the
    /// background cleanup (medians of the rounds).
    var throughputRatio = 0.0
    var serverSettings: [String: String] = [:]
}

/// What a busy worker saw.
struct WorkerLatencies: Encodable {
    var writes = 0
    var failures = 0
    var p50Milliseconds = 0.0
    var p99Milliseconds = 0.0
    var maxMilliseconds = 0.0

    init() {}

    init(_ latencies: [Double], failures: Int) {
        writes = latencies.count
        self.failures = failures
        p50Milliseconds = percentile(latencies, 0.50)
        p99Milliseconds = percentile(latencies, 0.99)
        maxMilliseconds = latencies.max() ?? 0
    }

    var text: String { "\(format(p50Milliseconds)) / \(format(p99Milliseconds)) / \(format(maxMilliseconds)) (\(writes) writes, \(failures) failed)" }
}

/// Celery's `celery.backend_cleanup` on its database backend (one DELETE of every result older
/// than `result_expires`) against `taskwarden purge` with `preset: celery_taskmeta` and the same
/// retention, on a `celery_taskmeta` made with Celery 5.7's DDL and seeded with `rows` results
/// over three days (a third expired), while a worker keeps storing results; each `rounds`
/// times on a fresh seed, medians reported.
struct CeleryCleanupBenchmark {
    let url: DatabaseURL
    let rows: Int
    let batchSize: Int
    let rounds: Int
    let taskwarden: String
    let strategy: String
    /// Celery's `result_expires` here; the purge's retention for every finished state.
    static let expiresDays = 2

    func run() throws -> CeleryCleanupResult {
        let db = try DatabaseDrivers.connect(url)
        defer { db.close() }
        var result = CeleryCleanupResult(backend: db.backend.rawValue, server: "\(db.dialect) \(db.serverVersion)", rows: rows)
        result.serverSettings = try BackendBenchmark.serverSettings(of: db)
        let configuration = FileManager.default.temporaryDirectory.appendingPathComponent("taskwarden-celery-bench-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: configuration) }
        let days = "\(Self.expiresDays)d"
        try "table: {preset: celery_taskmeta}\nretention: {succeeded: \(days), failed: \(days), cancelled: \(days)}\n"
            .write(to: configuration, atomically: true, encoding: .utf8)
        let clock = ContinuousClock()
        var cleanups: [(statement: Double, background: Double)] = []
        var purges: [(statement: Double, background: Double)] = []
        var cleanupLatencies: [Double] = []
        var cleanupFailures = 0
        var purgeLatencies: [Double] = []
        var purgeFailures = 0
        for round in 1...rounds {
            try seed(db)
            let worker = storingWorker()
            try worker.start()
            let now = try DatabaseClock.now(on: db)
            let start = clock.now
            result.expiredRows = try db.execute(BenchmarkSQL.CeleryCleanup(cutoff: .text(now.adding(seconds: -Double(Self.expiresDays) * 86_400).sqlText)))
            let statement = (clock.now - start).seconds
            cleanupLatencies += worker.stop()
            cleanupFailures += worker.failures
            cleanups.append((statement, try waitForBackgroundWork(db)))
            log("round \(round): backend_cleanup's DELETE of \(result.expiredRows) rows in \(format(statement)) s, then \(format(cleanups.last!.background)) s of background cleanup")
            try db.executeScript(BenchmarkSQL.CeleryDrop())

            try seed(db)
            var run = PurgeRun(taskwarden: taskwarden, url: url, batchSize: batchSize, strategy: strategy)
            run.retention = ["--config", configuration.path]
            let busy = storingWorker()
            let purge = try run.run(whileWorking: busy)
            purgeLatencies += purge.latencies
            purgeFailures += busy.failures
            purges.append((purge.seconds, try waitForBackgroundWork(db)))
            result.purgedRows = purge.rows
            result.purgeBatches = purge.batches
            result.purgeOrder = purge.order
            result.purgeLongestBatchMilliseconds = max(result.purgeLongestBatchMilliseconds, purge.longestBatchMilliseconds)
            log("round \(round): purge of \(purge.rows) rows in \(format(purge.seconds)) s (\(purge.order) order; \(purge.batches) batches, longest \(format(purge.longestBatchMilliseconds)) ms), then \(format(purges.last!.background)) s of background cleanup")
            try db.executeScript(BenchmarkSQL.CeleryDrop())
        }
        result.cleanupSeconds = percentile(cleanups.map(\.statement), 0.5)
        result.cleanupBackgroundSeconds = percentile(cleanups.map(\.background), 0.5)
        result.purgeSeconds = percentile(purges.map(\.statement), 0.5)
        result.purgeBackgroundSeconds = percentile(purges.map(\.background), 0.5)
        result.workerDuringCleanup = WorkerLatencies(cleanupLatencies, failures: cleanupFailures)
        result.workerDuringPurge = WorkerLatencies(purgeLatencies, failures: purgeFailures)
        let cleanupRate = Double(result.expiredRows) / percentile(cleanups.map { $0.statement + $0.background }, 0.5)
        let purgeRate = Double(result.purgedRows) / percentile(purges.map { $0.statement + $0.background }, 0.5)
        result.throughputRatio = purgeRate / cleanupRate
        log("purge: \(format(result.throughputRatio)) x backend_cleanup's throughput; worker p50/p99/max during cleanup \(result.workerDuringCleanup.text), during purge \(result.workerDuringPurge.text)")
        return result
    }

    /// A Celery worker storing a result every few milliseconds (`bench/celery_store.sql`),
    /// with ids after the seeded ones.
    private func storingWorker() -> BusyWorker {
        let first = rows + 1_000_000
        return BusyWorker(url: url) { _ in
            { db, index in
                _ = try db.execute(
                    BenchmarkSQL.CeleryStore(
                        id: .integer(Int64(first + index)), taskId: .text("live-\(first + index)"), result: .bytes(Array(#"{"answer": 42}"#.utf8)),
                        dateDone: .text(Timestamp.now.sqlText)))
            }
        }
    }

    /// Creates the table with Celery's DDL and seeds it in chunks, then refreshes statistics
    /// and lets the server settle, so every timed phase starts from the same state.
    private func seed(_ db: any DatabaseConnection) throws {
        let clock = ContinuousClock()
        let start = clock.now
        try db.executeScript(BenchmarkSQL.CeleryDrop())
        try db.executeScript(BenchmarkSQL.CeleryCreate())
        let now = try DatabaseClock.now(on: db)
        try inChunks(of: rows, on: db) { db, first, last in
            try db.execute(BenchmarkSQL.CelerySeed(now: .timestamp(now), total: .integer(Int64(rows)), first: first, last: last))
        }
        try db.execute(BenchmarkSQL.CeleryAnalyze())
        try db.execute(BenchmarkSQL.Settle())
        _ = try waitForBackgroundWork(db)
        log("seeded celery_taskmeta with \(rows) results in \(format((clock.now - start).seconds)) s")
    }
}
