import Foundation
import TaskWarden
import TaskWardenSQL

/// The measurements of `reset`, `recover` and `undo` of N runs on one backend.
struct ChangeResult: Encodable {
    var backend = ""
    var runs = 0
    /// The server's durability and memory settings, as for the purge results.
    var serverSettings: [String: String] = [:]
    /// One `UPDATE` of the same runs' status, finish time and note: no journal, no batches.
    var singleUpdateSeconds = 0.0
    /// One `UPDATE` that puts those runs back, right after it (`bench/single_revert.sql`): the
    /// same change as an undo, on the table as a change leaves it.
    var singleRevertSeconds = 0.0
    var resetSeconds = 0.0
    var recoverSeconds = 0.0
    var undoSeconds = 0.0
    /// Throughput over the single UPDATE's (its time over the command's).
    var resetRatio = 0.0
    var recoverRatio = 0.0
    /// Undo's over the single revert's (its time over the undo's): the same change on the same
    /// table; ``undoRatioToUpdate`` is over the first UPDATE's, on a table fresh from its seed.
    var undoRatio = 0.0
    var undoRatioToUpdate = 0.0
    var resetPeakRSSMegabytes = 0.0
    var recoverPeakRSSMegabytes = 0.0
    var undoPeakRSSMegabytes = 0.0
    /// A worker heartbeating live runs during the reset: its p99 and longest UPDATE.
    var resetWorkerP99Milliseconds = 0.0
    var resetWorkerMaxMilliseconds = 0.0
    var resetWorkerUpdates = 0
    /// The longest batch of each command, as it reports it (0 when it does not).
    var resetLongestBatchMilliseconds = 0.0
    var recoverLongestBatchMilliseconds = 0.0
    var undoLongestBatchMilliseconds = 0.0
}

/// `taskwarden reset`, `recover` and `undo` of N running runs, each as a separate process (the
/// implementation that is built in, whatever it is), against one `UPDATE` of the same runs.
struct ChangeBenchmark {
    let url: DatabaseURL
    let urlText: String
    let runs: Int
    let taskwarden: String
    static let kind = "reset_bench"

    func run() throws -> ChangeResult {
        let db = try DatabaseDrivers.connect(url)
        defer { db.close() }
        var result = ChangeResult(backend: db.backend.rawValue, runs: runs)
        result.serverSettings = try BackendBenchmark.serverSettings(of: db)
        let clock = ContinuousClock()

        // The limit: one UPDATE, no journal.
        try seedRunning(db, minutesAgo: 120)
        let now = try DatabaseClock.now(on: db)
        let start = clock.now
        let updated = try db.execute(BenchmarkSQL.SingleUpdate(toStatus: "cancelled", now: .timestamp(now), kind: .text(Self.kind)))
        result.singleUpdateSeconds = (clock.now - start).seconds
        log("single UPDATE of \(updated) runs in \(format(result.singleUpdateSeconds)) s")
        let revertStart = clock.now
        let reverted = try db.execute(BenchmarkSQL.SingleRevert(fromStatus: "cancelled", kind: .text(Self.kind)))
        result.singleRevertSeconds = (clock.now - revertStart).seconds
        log("single UPDATE putting back \(reverted) runs in \(format(result.singleRevertSeconds)) s")
        try db.executeScript(BenchmarkSQL.Empty())

        // reset, beside a worker heartbeating live runs; then undo of its batch.
        try seedRunning(db, minutesAgo: 120)
        let reset = try Self.command(
            taskwarden, ["reset", "--status", "running", "--kind", Self.kind, "--to", "cancelled", "--yes", "--reason", "bench", "--database", urlText],
            worker: BusyWorker.heartbeating(url: url))
        result.resetSeconds = reset.seconds
        result.resetPeakRSSMegabytes = reset.peakRSSMegabytes
        result.resetWorkerUpdates = reset.latencies.count
        result.resetWorkerP99Milliseconds = percentile(reset.latencies, 0.99)
        result.resetWorkerMaxMilliseconds = reset.latencies.max() ?? 0
        result.resetLongestBatchMilliseconds = Self.longestBatch(in: reset.output)
        log("reset: \(format(reset.seconds)) s, peak RSS \(format(reset.peakRSSMegabytes)) MB, worker p99 \(format(result.resetWorkerP99Milliseconds)) ms")
        if let batch = reset.output.firstMatch(of: /batch (\S+)/)?.1 {
            var arguments = ["undo", String(batch), "--database", urlText]
            if try Self.accepts(taskwarden, "undo", "--yes") { arguments.insert("--yes", at: 2) }
            let undo = try Self.command(taskwarden, arguments, worker: nil)
            result.undoSeconds = undo.seconds
            result.undoPeakRSSMegabytes = undo.peakRSSMegabytes
            result.undoLongestBatchMilliseconds = Self.longestBatch(in: undo.output)
            log("undo: \(format(undo.seconds)) s, peak RSS \(format(undo.peakRSSMegabytes)) MB")
        } else {
            log("reset printed no batch: undo not measured")
        }
        try db.executeScript(BenchmarkSQL.Empty())

        // recover of the same number of stuck runs.
        try seedRunning(db, minutesAgo: 120)
        var arguments = ["recover", "--older-than", "30m", "--reason", "bench", "--database", urlText]
        if try Self.accepts(taskwarden, "recover", "--yes") { arguments.insert("--yes", at: 1) }
        let recover = try Self.command(taskwarden, arguments, worker: nil)
        result.recoverSeconds = recover.seconds
        result.recoverPeakRSSMegabytes = recover.peakRSSMegabytes
        result.recoverLongestBatchMilliseconds = Self.longestBatch(in: recover.output)
        log("recover: \(format(recover.seconds)) s, peak RSS \(format(recover.peakRSSMegabytes)) MB")
        try db.executeScript(BenchmarkSQL.Empty())

        func ratio(_ seconds: Double, to baseline: Double) -> Double { seconds > 0 ? baseline / seconds : 0 }
        result.resetRatio = ratio(result.resetSeconds, to: result.singleUpdateSeconds)
        result.recoverRatio = ratio(result.recoverSeconds, to: result.singleUpdateSeconds)
        result.undoRatio = ratio(result.undoSeconds, to: result.singleRevertSeconds)
        result.undoRatioToUpdate = ratio(result.undoSeconds, to: result.singleUpdateSeconds)
        return result
    }

    /// The longest batch a command printed (`..., the longest 123 ms`), or 0.
    static func longestBatch(in output: String) -> Double {
        output.firstMatch(of: /the longest (\d+) ms/).flatMap { Double(String($0.1)) } ?? 0
    }

    /// `runs` running runs of ``kind`` started (and last heartbeating) `minutesAgo`, plus the
    /// worker's live runs.
    private func seedRunning(_ db: any DatabaseConnection, minutesAgo: Double) throws {
        let now = try DatabaseClock.now(on: db)
        try inChunks(of: runs, on: db) { db, first, last in
            try db.execute(
                BenchmarkSQL.SeedRunning(kind: .text(Self.kind), startedAt: .timestamp(now.adding(seconds: -minutesAgo * 60)), first: first, last: last))
        }
        try db.inTransaction { db in
            for _ in 0..<BackendBenchmark.liveRuns {
                try db.execute(BenchmarkSQL.InsertRunning(kind: "live", startedAt: .timestamp(now), heartbeatAt: .timestamp(now)))
            }
        }
        try db.execute(BenchmarkSQL.Analyze())
        try db.execute(BenchmarkSQL.Settle())
    }

    struct Outcome {
        var seconds = 0.0
        var peakRSSMegabytes = 0.0
        var latencies: [Double] = []
        var output = ""
    }

    /// Whether `taskwarden <command> --help` lists `flag`.
    static func accepts(_ taskwarden: String, _ command: String, _ flag: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskwarden)
        process.arguments = [command, "--help"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).contains(flag + " ")
    }

    /// Runs `taskwarden arguments` as a process, its peak RSS sampled, beside `worker` if any.
    static func command(_ taskwarden: String, _ arguments: [String], worker: BusyWorker?) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskwarden)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let collected = ChangeOutputBox()
        let done = DispatchGroup()
        for (pipe, index) in [(output, 0), (errors, 1)] {
            done.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(index, data)
                done.leave()
            }
        }
        try worker?.start()
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        var peakKilobytes = 0
        while process.isRunning {
            peakKilobytes = max(peakKilobytes, PurgeRun.highWaterMark(pid: process.processIdentifier) ?? 0)
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        let seconds = (clock.now - start).seconds
        done.wait()
        let latencies = worker?.stop() ?? []
        let text = String(decoding: collected.data[0], as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchmarkError(
                "taskwarden \(arguments[0]) failed with status \(process.terminationStatus): \(String(decoding: collected.data[1], as: UTF8.self).suffix(2_000))")
        }
        return Outcome(seconds: seconds, peakRSSMegabytes: Double(peakKilobytes) / 1_024, latencies: latencies, output: text)
    }
}

/// A command's standard output and error, read on other threads.
private final class ChangeOutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var data = [Data(), Data()]
    func set(_ index: Int, _ value: Data) { lock.withLock { data[index] = value } }
}
