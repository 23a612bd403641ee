import Foundation
import Logging
import TaskWarden
import TaskWardenSQL

/// The measurements of one backend.
struct BackendResult: Encodable {
    var backend = ""
    var server = ""
    var purgeableRows = 0
    var singleDeleteSeconds = 0.0
    /// After the single DELETE returned, until the server's background cleanup caught up.
    var singleDeleteCleanupSeconds = 0.0
    var purgeSeconds = 0.0
    /// After the purge process exited, until the server's background cleanup caught up.
    var purgeCleanupSeconds = 0.0
    /// Each round's single DELETE and purge, background cleanup included; the figures above
    /// are medians.
    var singleDeleteRoundsSeconds: [Double] = []
    var purgeRoundsSeconds: [Double] = []
    var purgeWithWorkerSeconds = 0.0
    var purgedRows = 0
    /// Rows per second of the purge over those of the single DELETE, each timed to the end of
    /// the server's background cleanup.
    var throughputRatio = 0.0
    /// The same, leaving out the background cleanup (which InnoDB does after a single DELETE
    /// has returned, but during the purge's batches).
    var statementThroughputRatio = 0.0
    var longestBatchMilliseconds = 0.0
    var batches = 0
    var workerUpdates = 0
    var workerP50Milliseconds = 0.0
    var workerP99Milliseconds = 0.0
    var workerMaxMilliseconds = 0.0
    var purgePeakRSSMegabytes = 0.0
    var recoverBigTableMilliseconds = 0.0
    var recoverSmallTableMilliseconds = 0.0
    var recoverRatio = 0.0
    var seedSeconds = 0.0
    var layout = ""
    /// The server's settings (durability, memory), as it reported them.
    var serverSettings: [String: String] = [:]
    /// `--strategy` given to the purge (`auto`, `index`, `key-order`), and the order it took.
    var strategy = ""
    var purgeOrder = ""
    var purgeOrderReason = ""
    /// pt-archiver `--purge --bulk-delete --commit-each --limit <batch>` on the same data (MySQL
    /// only; 0 when not run), to the end of the background cleanup, and its throughput over the
    /// single DELETE's.
    var ptArchiverSeconds = 0.0
    var ptArchiverCleanupSeconds = 0.0
    var ptArchiverRatio = 0.0
}

/// Runs the benchmark on one database.
struct BackendBenchmark {
    let url: DatabaseURL
    let rows: Int
    let batchSize: Int
    /// How many times the single DELETE and the purge alone are each measured.
    let throughputRounds: Int
    let taskwarden: String
    /// `chronological` (runs finish in id order, as a table grows) or `scattered` (worst case).
    let layout: String
    /// `--strategy` for the purge: auto, index or key-order.
    let strategy: String
    /// The pt-archiver binary, to run as the peer on MySQL; `nil` to skip it.
    let ptArchiver: String?
    static let liveRuns = 1_000
    static let stuckRuns = 100
    static let smallTable = 10_000
    static let recoverRounds = 5

    /// The settings that decide what a benchmark measures (durability, buffer pool), logged:
    /// every result is printed with them.
    static func serverSettings(of db: any DatabaseConnection) throws -> [String: String] {
        var settings: [String: String] = [:]
        for row in try db.query(BenchmarkSQL.ServerSettings()) {
            settings[try row.decode(String.self, .name)] = try row.decode(String?.self, .value) ?? "NULL"
        }
        log("server settings: \(settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        return settings
    }

    func run() throws -> BackendResult {
        let db = try DatabaseDrivers.connect(url)
        defer { db.close() }
        var result = BackendResult(backend: db.backend.rawValue, server: "\(db.dialect) \(db.serverVersion)", layout: layout)
        result.strategy = strategy
        result.serverSettings = try Self.serverSettings(of: db)
        var quiet = Logger(label: "taskwarden.bench")
        quiet.logLevel = .warning
        _ = try Migrator(
            connection: db, set: try MigrationSet.builtIn(for: db.dialect), logger: quiet, openLockConnection: { try DatabaseDrivers.connect(url) }
        ).up()
        let clock = ContinuousClock()

        // 1-2. One single DELETE of the purgeable rows, then the same data again purged by
        // taskwarden alone, each on a fresh seed, `throughputRounds` times: this VM's run-to-run
        // noise (±20 %) is larger than the differences that matter, so medians are reported.
        // The single DELETE runs with the purge's session settings (`purge/session.sql`: READ
        // COMMITTED on MySQL, a larger page cache on SQLite), so that the two compare like for like.
        _ = try PurgeSessionSettings.apply(on: db)
        var singleRounds: [(statement: Double, cleanup: Double)] = []
        var purgeRounds: [(statement: Double, cleanup: Double)] = []
        for round in 1...throughputRounds {
            result.seedSeconds = try seed(db, rows: rows)
            let now = try DatabaseClock.now(on: db)
            let start = clock.now
            result.purgeableRows = try db.execute(
                BenchmarkSQL.SingleDelete(
                    succeededCutoff: .timestamp(now.adding(seconds: -90 * 86_400)), failedCutoff: .timestamp(now.adding(seconds: -30 * 86_400))))
            singleRounds.append(((clock.now - start).seconds, try waitForBackgroundWork(db)))
            log("round \(round): single DELETE of \(result.purgeableRows) rows in \(format(singleRounds.last!.statement)) s, then \(format(singleRounds.last!.cleanup)) s of background cleanup")

            try empty(db)
            _ = try seed(db, rows: rows)
            let alone = try PurgeRun(taskwarden: taskwarden, url: url, batchSize: batchSize, strategy: strategy).run(whileWorking: nil)
            result.purgeOrder = alone.order
            result.purgeOrderReason = alone.orderReason
            purgeRounds.append((alone.seconds, try waitForBackgroundWork(db)))
            result.purgedRows = alone.rows
            result.batches = alone.batches
            result.purgePeakRSSMegabytes = max(result.purgePeakRSSMegabytes, alone.peakRSSMegabytes)
            log("round \(round): purge of \(alone.rows) rows in \(format(purgeRounds.last!.statement)) s (\(alone.order) order: \(alone.orderReason); \(alone.batches) batches, statement time \(format(alone.statementSeconds)) s), then \(format(purgeRounds.last!.cleanup)) s of background cleanup")
            try empty(db)
        }
        result.singleDeleteRoundsSeconds = singleRounds.map { $0.statement + $0.cleanup }
        result.purgeRoundsSeconds = purgeRounds.map { $0.statement + $0.cleanup }
        result.singleDeleteSeconds = percentile(singleRounds.map(\.statement), 0.5)
        result.singleDeleteCleanupSeconds = percentile(singleRounds.map(\.cleanup), 0.5)
        result.purgeSeconds = percentile(purgeRounds.map(\.statement), 0.5)
        result.purgeCleanupSeconds = percentile(purgeRounds.map(\.cleanup), 0.5)
        let singleRate = Double(result.purgeableRows) / percentile(result.singleDeleteRoundsSeconds, 0.5)
        let purgeRate = Double(result.purgedRows) / percentile(result.purgeRoundsSeconds, 0.5)
        result.throughputRatio = purgeRate / singleRate
        result.statementThroughputRatio = (Double(result.purgedRows) / result.purgeSeconds) / (Double(result.purgeableRows) / result.singleDeleteSeconds)
        log("purge: \(format(result.throughputRatio)) x single DELETE (medians of \(throughputRounds) rounds)")

        // 2b. The peer: pt-archiver on the same data (MySQL only).
        if db.backend == .mysql, let ptArchiver {
            _ = try seed(db, rows: rows)
            let seconds = try PtArchiverRun(ptArchiver: ptArchiver, batchSize: batchSize).run(on: db)
            result.ptArchiverSeconds = seconds
            result.ptArchiverCleanupSeconds = try waitForBackgroundWork(db)
            result.ptArchiverRatio = percentile(result.singleDeleteRoundsSeconds, 0.5) / (seconds + result.ptArchiverCleanupSeconds)
            log("pt-archiver: \(format(seconds)) s, then \(format(result.ptArchiverCleanupSeconds)) s of background cleanup: \(format(result.ptArchiverRatio)) x single DELETE")
            try empty(db)
        }

        // 3. Once more, while a worker heartbeats live runs: batch lengths and the worker's latency.
        _ = try seed(db, rows: rows)
        let busy = try PurgeRun(taskwarden: taskwarden, url: url, batchSize: batchSize, strategy: strategy).run(whileWorking: BusyWorker.heartbeating(url: url))
        result.purgeWithWorkerSeconds = busy.seconds
        result.longestBatchMilliseconds = busy.longestBatchMilliseconds
        result.purgePeakRSSMegabytes = max(result.purgePeakRSSMegabytes, busy.peakRSSMegabytes)
        result.workerUpdates = busy.latencies.count
        result.workerP50Milliseconds = percentile(busy.latencies, 0.50)
        result.workerP99Milliseconds = percentile(busy.latencies, 0.99)
        result.workerMaxMilliseconds = busy.latencies.max() ?? 0
        log("purge with a worker: \(format(busy.seconds)) s, longest batch \(format(busy.longestBatchMilliseconds)) ms, worker p99 \(format(result.workerP99Milliseconds)) ms")

        // 4. recover of 100 stuck runs on the big table, then on a small one.
        result.recoverBigTableMilliseconds = try timeRecover(db)
        try empty(db)
        _ = try seed(db, rows: Self.smallTable)
        result.recoverSmallTableMilliseconds = try timeRecover(db)
        result.recoverRatio = result.recoverBigTableMilliseconds / result.recoverSmallTableMilliseconds
        log("recover: \(format(result.recoverBigTableMilliseconds)) ms on the big table, \(format(result.recoverSmallTableMilliseconds)) ms on 10k rows")
        try empty(db)
        return result
    }

    private func seed(_ db: any DatabaseConnection, rows: Int) throws -> Double {
        try seedRuns(db, rows: rows, layout: layout, liveRuns: Self.liveRuns)
    }

    /// The median time of `recover` of 100 freshly stuck runs, over five rounds: one round
    /// alone would also time whatever the server does at that moment (a checkpoint, a flush).
    private func timeRecover(_ db: any DatabaseConnection) throws -> Double {
        try db.execute(BenchmarkSQL.Settle())
        var rounds: [Double] = []
        for _ in 0..<Self.recoverRounds {
            let now = try DatabaseClock.now(on: db)
            try db.inTransaction { db in
                for _ in 0..<Self.stuckRuns {
                    try db.execute(BenchmarkSQL.InsertRunning(kind: "stuck", startedAt: .timestamp(now.adding(seconds: -7_200)), heartbeatAt: .null))
                }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let recovered = try TaskRuns(connection: db, actor: "bench").recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(1_800))))
            precondition(recovered.changed.count == Self.stuckRuns, "recovered \(recovered.changed.count), expected \(Self.stuckRuns)")
            rounds.append((clock.now - start).seconds * 1_000)
        }
        return percentile(rounds, 0.5)
    }

    /// Empties the task table for the next seed (`bench/empty.sql`, which may hold several
    /// statements: SQLite's also compacts the file).
    private func empty(_ db: any DatabaseConnection) throws {
        try db.executeScript(BenchmarkSQL.Empty())
    }
}

/// Seeds `rows` runs in `layout` (`chronological` or `scattered`) plus `liveRuns` running
/// ones, in chunks, refreshes statistics and lets the server settle (`bench/settle.sql`, and
/// the cleanup of rows emptied before), so every timed phase starts from the same state.
/// Returns the seconds it took.
func seedRuns(_ db: any DatabaseConnection, rows: Int, layout: String, liveRuns: Int) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let now = try DatabaseClock.now(on: db)
    try inChunks(of: rows, on: db) { db, first, last in
        if layout == "scattered" {
            try db.execute(BenchmarkSQL.SeedRunsScattered(now: .timestamp(now), first: first, last: last))
        } else {
            try db.execute(BenchmarkSQL.SeedRuns(now: .timestamp(now), total: .integer(Int64(rows)), first: first, last: last))
        }
    }
    try db.inTransaction { db in
        for _ in 0..<liveRuns {
            try db.execute(BenchmarkSQL.InsertRunning(kind: "live", startedAt: .timestamp(now), heartbeatAt: .timestamp(now)))
        }
    }
    try db.execute(BenchmarkSQL.Analyze())
    try db.execute(BenchmarkSQL.Settle())
    _ = try waitForBackgroundWork(db)
    let seconds = (clock.now - start).seconds
    log("seeded \(rows) rows in \(format(seconds)) s")
    return seconds
}

/// Waits until the server's background cleanup of deleted rows is done
/// (`bench/background_work.sql` reports nothing pending) and returns how long it took.
///
/// InnoDB deletes in two steps: the statement marks rows, purge threads remove them after
/// the commit. Batches pay for the second step while they run; a single DELETE after it
/// has returned. Both are timed to the end of the cleanup, so they compare the same work.
func waitForBackgroundWork(_ db: any DatabaseConnection) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    while try db.query(BenchmarkSQL.BackgroundWork()).first?.decode(Int.self, .pending) ?? 0 > 0 {
        guard clock.now - start < .seconds(600) else { throw BenchmarkError("the server's background cleanup did not finish within 10 minutes") }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return (clock.now - start).seconds
}

/// Runs `body` for rows 0..<rows in chunks of 200 000, each `(first, last)` inclusive, each in
/// a transaction of its own: seeding a million rows in one would hold its undo and its locks.
func inChunks(of rows: Int, on db: any DatabaseConnection, _ body: (any DatabaseConnection, _ first: DatabaseValue, _ last: DatabaseValue) throws -> Void) throws {
    let chunk = 200_000
    var first = 0
    while first < rows {
        let last = min(first + chunk, rows) - 1
        try db.inTransaction { db in try body(db, .integer(Int64(first)), .integer(Int64(last))) }
        first += chunk
    }
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

func log(_ message: String) {
    FileHandle.standardError.write(Data("   \(message)\n".utf8))
}
