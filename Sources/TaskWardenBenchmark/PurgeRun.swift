import Foundation
import TaskWarden
import TaskWardenSQL

/// `taskwarden purge` as a separate process, its peak RSS sampled from /proc while it runs.
struct PurgeRun {
    struct Outcome {
        var seconds = 0.0
        var rows = 0
        var batches = 0
        var longestBatchMilliseconds = 0.0
        var peakRSSMegabytes = 0.0
        var latencies: [Double] = []
        /// The sum of the batches' times as the purge measured them (statements and commits).
        var statementSeconds = 0.0
        var order = ""
        var orderReason = ""
    }

    let taskwarden: String
    let url: DatabaseURL
    let batchSize: Int
    let strategy: String
    /// What the purge deletes: retention flags, or `--config FILE` with a retention section.
    var retention = ["--succeeded-older-than", "90d", "--failed-older-than", "30d"]

    /// The URL to give the taskwarden process: the environment's, with its password.
    static func urlText(_ url: DatabaseURL) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let urlText: String?
        switch url.backend {
        case .postgresql: urlText = environment["TASKWARDEN_TEST_POSTGRES_URL"]
        case .mysql: urlText = environment["TASKWARDEN_TEST_MYSQL_URL"]
        case .sqlite: urlText = url.redacted  // A file URL has no password to hide.
        }
        guard let urlText else { throw BenchmarkError("no URL for \(url.backend)") }
        return urlText
    }

    func run(whileWorking worker: BusyWorker?) throws -> Outcome {
        let urlText = try Self.urlText(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskwarden)
        process.arguments = [
            "purge", "--batch-size", String(batchSize), "--strategy", strategy, "--json", "--database", urlText,
        ] + retention
        let output = Pipe()
        process.standardOutput = output
        let clock = ContinuousClock()
        try worker?.start()
        let start = clock.now
        try process.run()
        var peakKilobytes = 0
        let collected = OutputBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            collected.data = output.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        while process.isRunning {
            peakKilobytes = max(peakKilobytes, Self.highWaterMark(pid: process.processIdentifier) ?? 0)
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        let seconds = (clock.now - start).seconds
        done.wait()
        let data = collected.data
        let latencies = worker?.stop() ?? []
        guard process.terminationStatus == 0,
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw BenchmarkError("purge failed with status \(process.terminationStatus): \(String(decoding: data, as: UTF8.self))") }
        let passes = json["passes"] as? [[String: Any]] ?? []
        let orders = json["orders"] as? [[String: Any]] ?? []
        return Outcome(
            seconds: seconds, rows: json["rows"] as? Int ?? 0, batches: passes.reduce(0) { $0 + ($1["batches"] as? Int ?? 0) },
            longestBatchMilliseconds: passes.map { $0["longestBatchMilliseconds"] as? Double ?? 0 }.max() ?? 0,
            peakRSSMegabytes: Double(peakKilobytes) / 1_024, latencies: latencies,
            statementSeconds: passes.reduce(0) { $0 + ($1["seconds"] as? Double ?? 0) },
            order: orders.map { $0["order"] as? String ?? "?" }.joined(separator: "+"),
            orderReason: orders.map { $0["reason"] as? String ?? "?" }.joined(separator: "; "))
    }

    /// VmHWM, the peak resident set size so far, in kilobytes.
    static func highWaterMark(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}

/// A worker writing while something else runs, one statement after another, timing each (a
/// statement that fails, on SQLite a lock wait past the busy timeout, is timed too, and counted).
final class BusyWorker: @unchecked Sendable {
    /// One write, the `index`-th, on the worker's own connection.
    typealias Step = (any DatabaseConnection, Int) throws -> Void
    private let url: DatabaseURL
    private let prepare: @Sendable (any DatabaseConnection) throws -> Step?
    private let lock = NSLock()
    private var running = false
    private var latencies: [Double] = []
    private(set) var failures = 0
    private let finished = DispatchSemaphore(value: 0)

    /// `prepare` runs on the worker's connection before it starts and returns its step (`nil`:
    /// nothing to do).
    init(url: DatabaseURL, prepare: @escaping @Sendable (any DatabaseConnection) throws -> Step?) {
        self.url = url
        self.prepare = prepare
    }

    /// A worker heartbeating the table's live runs (`bench/heartbeat.sql`).
    static func heartbeating(url: DatabaseURL) -> BusyWorker {
        BusyWorker(url: url) { db in
            let ids = try db.query(BenchmarkSQL.RunningIds()).map(\.id)
            guard !ids.isEmpty else { return nil }
            return { db, index in
                _ = try db.execute(BenchmarkSQL.Heartbeat(now: .timestamp(.now), progress: .double(Double(index % 100)), id: ids[index % ids.count]))
            }
        }
    }

    /// Starts heartbeating on a thread with a connection of its own; returns once it runs.
    func start() throws {
        lock.withLock { running = true }
        let ready = DispatchSemaphore(value: 0)
        let url = self.url
        let thread = Thread { [self] in
            defer { finished.signal() }
            guard let db = try? DatabaseDrivers.connect(url) else {
                ready.signal()
                return
            }
            guard let step = try? prepare(db) else {
                db.close()
                ready.signal()
                return
            }
            defer { db.close() }
            ready.signal()
            var index = 0
            while lock.withLock({ running }) {
                let clock = ContinuousClock()
                let start = clock.now
                let failed = (try? step(db, index)) == nil
                let milliseconds = (clock.now - start).seconds * 1_000
                lock.withLock {
                    latencies.append(milliseconds)
                    if failed { failures += 1 }
                }
                index += 1
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        thread.start()
        ready.wait()
    }

    /// Stops the worker and returns its latencies in milliseconds.
    func stop() -> [Double] {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { latencies }
    }
}

/// The purge's standard output, read on another thread.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// pt-archiver, the peer MySQL users pick for this job, on the same rows the purge deletes:
/// `--purge --bulk-delete --commit-each --limit <batch>`, walking the primary key with the
/// retention predicate.
struct PtArchiverRun {
    let ptArchiver: String
    let batchSize: Int

    /// Runs it on the benchmark's MySQL table and returns the wall-clock seconds.
    func run(on db: any DatabaseConnection) throws -> Double {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment["TASKWARDEN_TEST_MYSQL_URL"], let url = URLComponents(string: text),
            let host = url.host, let user = url.user
        else { throw BenchmarkError("no TASKWARDEN_TEST_MYSQL_URL for pt-archiver") }
        let database = url.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        // The same cutoffs as the single DELETE, as literals (pt-archiver takes a WHERE clause).
        let now = try DatabaseClock.now(on: db)
        func literal(_ daysAgo: Double) -> String {
            "'\(now.adding(seconds: -daysAgo * 86_400).sqlText)'"
        }
        let predicate = "(status = 'succeeded' AND finished_at < \(literal(90))) OR (status = 'failed' AND finished_at < \(literal(30)))"
        var source = "h=\(host),P=\(url.port ?? 3306),u=\(user),D=\(database),t=task_runs"
        if let password = url.password { source += ",p=\(password)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ptArchiver)
        process.arguments = [
            "--source", source, "--where", predicate, "--purge", "--bulk-delete", "--commit-each", "--limit", String(batchSize),
            "--no-check-charset", "--statistics",
        ]
        let output = Pipe()
        process.standardOutput = output
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = (clock.now - start).seconds
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("pt-archiver failed with status \(process.terminationStatus): \(String(decoding: data, as: UTF8.self))")
        }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("DELETE") || line.hasPrefix("SELECT") {
            log("pt-archiver: \(line)")
        }
        return seconds
    }
}
