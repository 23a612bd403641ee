import ArgumentParser
import Foundation
import Logging
import TaskWarden
import TaskWardenSQL

/// `taskwarden-bench`: measures the purge and recovery on big tables, against real servers.
///
/// For each backend: seeds N runs (a third purgeable) and times one single `DELETE` of the
/// purgeable rows, reseeds identically and runs `taskwarden purge` alone as a separate process
/// (its peak RSS sampled), each timed to the end of the server's background cleanup and each
/// `--rounds` times (medians reported); then purges once more while a worker heartbeats live
/// runs (its latencies recorded), and times `recover` of 100 stuck runs on the big table and on
/// a 10 000-run table (the median of five rounds each). With `--celery-rows N`, also Celery's
/// `backend_cleanup` beside the `celery_taskmeta` preset's purge (``CeleryCleanupBenchmark``).
/// Prints a table and writes JSON. Run it through `scripts/bench-purge.sh`.
@main
struct PurgeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskwarden-bench", abstract: "Benchmark purge and recover on big task tables.")

    @Option(help: "Runs to seed per backend.")
    var rows = 2_000_000

    @Option(help: "Purge batch size.")
    var batchSize = 5_000

    @Option(help: "Rounds of the single DELETE and of the purge alone, each on a fresh seed; medians are reported.")
    var rounds = 3

    @Option(help: "Backends to measure: postgresql, mysql, sqlite (repeatable; default all).")
    var backend: [DatabaseBackend] = []

    @Option(help: "The taskwarden binary to run the purge with.")
    var taskwarden: String

    @Option(help: "Where to write the JSON results.")
    var output: String

    @Option(help: "chronological (runs finish in id order, as a table grows) or scattered (finish times all over the table: the worst case).")
    var layout = "chronological"

    @Option(help: "The purge's --strategy: auto, index or key-order.")
    var strategy = "auto"

    @Option(help: "pt-archiver, run as the peer on MySQL (skipped if absent).")
    var ptArchiver = "/usr/bin/pt-archiver"

    @Option(help: "Runs to reset, recover and undo per backend, against one UPDATE (repeatable, e.g. 100000 and 1000000; none: skipped).")
    var changeRuns: [Int] = []

    @Option(help: "Results to seed in Celery's celery_taskmeta, for its backend_cleanup against the celery_taskmeta preset's purge (0: skipped).")
    var celeryRows = 0

    @Option(help: "Runs to seed for the dashboard's page times and its purge, served by taskwarden watch --http (0: skipped).")
    var dashboardRows = 0

    @Flag(help: "Skip the purge benchmark (measure only --change-runs, --celery-rows and --dashboard-rows).")
    var skipPurge = false

    @Option(help: "Directory for the SQLite database file.")
    var sqliteDirectory = NSTemporaryDirectory()

    @Flag(help: "Run on servers tuned for speed (durability off, a bigger buffer pool): for smoke tests, never for figures.")
    var allowTunedServers = false

    func validate() throws {
        guard ["chronological", "scattered"].contains(layout) else { throw ValidationError("--layout is chronological or scattered") }
        guard ["auto", "index", "key-order"].contains(strategy) else { throw ValidationError("--strategy is auto, index or key-order") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        var results: [BackendResult] = []
        var changes: [ChangeResult] = []
        var celery: [CeleryCleanupResult] = []
        var dashboard: [DashboardResult] = []
        for backend in backend.isEmpty ? DatabaseBackend.allCases : backend {
            try checkDefaults(of: try Self.url(for: backend, sqliteDirectory: sqliteDirectory))
            if celeryRows > 0 {
                let url = try Self.url(for: backend, sqliteDirectory: sqliteDirectory)
                FileHandle.standardError.write(Data("== \(backend.displayName): Celery's backend_cleanup and the celery_taskmeta purge, \(celeryRows) results\n".utf8))
                celery.append(
                    try CeleryCleanupBenchmark(url: url, rows: celeryRows, batchSize: batchSize, rounds: rounds, taskwarden: taskwarden, strategy: strategy).run())
            }
            for runs in changeRuns {
                let url = try Self.url(for: backend, sqliteDirectory: sqliteDirectory)
                FileHandle.standardError.write(Data("== \(backend.displayName): reset, recover, undo of \(runs) runs\n".utf8))
                let db = try DatabaseDrivers.connect(url)
                var quiet = Logger(label: "taskwarden.bench")
                quiet.logLevel = .warning
                _ = try Migrator(
                    connection: db, set: try MigrationSet.builtIn(for: db.dialect), logger: quiet, openLockConnection: { try DatabaseDrivers.connect(url) }
                ).up()
                db.close()
                changes.append(try ChangeBenchmark(url: url, urlText: try PurgeRun.urlText(url), runs: runs, taskwarden: taskwarden).run())
            }
            if dashboardRows > 0 {
                let url = try Self.url(for: backend, sqliteDirectory: sqliteDirectory)
                FileHandle.standardError.write(Data("== \(backend.displayName): the dashboard on \(dashboardRows) runs\n".utf8))
                dashboard.append(try DashboardBenchmark(url: url, rows: dashboardRows, layout: layout, taskwarden: taskwarden).run())
            }
            guard !skipPurge else { continue }
            let url = try Self.url(for: backend, sqliteDirectory: sqliteDirectory)
            FileHandle.standardError.write(Data("== \(backend.displayName): \(rows) rows, batch \(batchSize)\n".utf8))
            results.append(try BackendBenchmark(url: url, rows: rows, batchSize: batchSize, throughputRounds: rounds, taskwarden: taskwarden, layout: layout, strategy: strategy,
                ptArchiver: FileManager.default.isExecutableFile(atPath: ptArchiver) ? ptArchiver : nil).run())
        }
        let report = BenchmarkReport(
            machine: .current, rows: rows, batchSize: batchSize, layout: layout, strategy: strategy, rounds: rounds, results: results,
            changes: changes, celery: celery, dashboard: dashboard)
        print(report.table)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: output))
        FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }

    /// Refuses a server tuned for speed: a figure met only there is not met on users' servers,
    /// which run with durability on and the default buffer pool.
    private func checkDefaults(of url: DatabaseURL) throws {
        let db = try DatabaseDrivers.connect(url)
        defer { db.close() }
        let tuned = Self.tunedSettings(try BackendBenchmark.serverSettings(of: db))
        guard !tuned.isEmpty else { return }
        guard allowTunedServers else { throw TunedServer(backend: db.backend, settings: tuned) }
        FileHandle.standardError.write(Data("warning: \(db.backend.displayName) runs tuned (\(tuned.joined(separator: ", "))): these figures are no measure\n".utf8))
    }

    /// The settings, as `name=value`, that differ from the servers' own defaults in a way that
    /// makes writes cheaper than users' servers make them.
    static func tunedSettings(_ settings: [String: String]) -> [String] {
        func off(_ name: String) -> Bool { settings[name].map { ["off", "0", "false"].contains($0.lowercased()) } ?? false }
        var tuned = ["fsync", "synchronous_commit", "full_page_writes", "innodb_doublewrite"].filter(off)
        if let flush = settings["innodb_flush_log_at_trx_commit"], flush != "1" { tuned.append("innodb_flush_log_at_trx_commit") }
        if let pool = settings["innodb_buffer_pool_size"].flatMap(Int.init), pool > 134_217_728 { tuned.append("innodb_buffer_pool_size") }
        if let buffers = settings["shared_buffers"], buffers != "128MB" { tuned.append("shared_buffers") }
        if let synchronous = settings["synchronous"].flatMap(Int.init), synchronous < 2 { tuned.append("synchronous") }
        return tuned.map { "\($0)=\(settings[$0] ?? "")" }
    }

    static func url(for backend: DatabaseBackend, sqliteDirectory: String) throws -> DatabaseURL {
        let environment = ProcessInfo.processInfo.environment
        switch backend {
        case .postgresql: return try DatabaseURL(parsing: environment["TASKWARDEN_TEST_POSTGRES_URL"] ?? "")
        case .mysql: return try DatabaseURL(parsing: environment["TASKWARDEN_TEST_MYSQL_URL"] ?? "")
        case .sqlite:
            let path = (sqliteDirectory as NSString).appendingPathComponent("taskwarden-bench.sqlite")
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return try DatabaseURL(parsing: "sqlite://\(path)?journal_mode=wal")
        }
    }
}

extension DatabaseBackend: ExpressibleByArgument {}

/// A benchmark asked to measure a server tuned for speed.
struct TunedServer: Error, CustomStringConvertible {
    let backend: DatabaseBackend
    let settings: [String]
    var description: String {
        "\(backend.displayName) runs tuned (\(settings.joined(separator: ", "))): benchmarks measure servers at their own defaults; "
            + "start them with scripts/bench-purge.sh (TW_SERVER_SETTINGS=default), or pass --allow-tuned-servers for a smoke run"
    }
}
