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

    func run(whileWorking worker: HeartbeatWorker?) throws -> Outcome {
        let urlText = try Self.urlText(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskwarden)
        process.arguments = [
            "purge", "--succeeded-older-than", "90d", "--failed-older-than", "30d", "--batch-size", String(batchSize), "--strategy", strategy, "--json",
            "--database", urlText,
        ]
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

/// A worker heartbeating its live runs, one `UPDATE` after another, timing each.
final class HeartbeatWorker: @unchecked Sendable {
    private let url: DatabaseURL
    private let lock = NSLock()
    private var running = false
    private var latencies: [Double] = []
    private let finished = DispatchSemaphore(value: 0)

    init(url: DatabaseURL) { self.url = url }

    /// Starts heartbeating on a thread with a connection of its own; returns once it runs.
    func start() throws {
        lock.withLock { running = true }
        let ready = DispatchSemaphore(value: 0)
        let url = self.url
        let thread = Thread { [self] in
            defer { finished.signal() }
            guard let db = try? DatabaseDrivers.connect(url),
                let ids = try? db.query(BenchmarkSQL.RunningIds()).map(\.id),
                !ids.isEmpty
            else {
                ready.signal()
                return
            }
            defer { db.close() }
            ready.signal()
            var index = 0
            while lock.withLock({ running }) {
                let clock = ContinuousClock()
                let start = clock.now
                _ = try? db.execute(BenchmarkSQL.Heartbeat(now: .timestamp(.now), progress: .double(Double(index % 100)), id: ids[index % ids.count]))
                let milliseconds = (clock.now - start).seconds * 1_000
                lock.withLock { latencies.append(milliseconds) }
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
