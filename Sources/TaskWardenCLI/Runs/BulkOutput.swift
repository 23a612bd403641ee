import Foundation
import TaskWarden

/// The progress line of a long bulk change, on standard error: runs done, rate, estimate.
///
/// On a terminal it rewrites one line at most four times a second; in a log (standard error
/// not a terminal) it writes a line every ``logInterval``. Changes shorter than ``quietPeriod``
/// print nothing.
final class BulkProgressLine: @unchecked Sendable {
    static let quietPeriod: Duration = .seconds(1)
    static let terminalInterval: Duration = .milliseconds(250)
    static let logInterval: Duration = .seconds(10)

    private let verb: String
    private let isTerminal: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var lastPrinted: Duration?
    private var printedOnTerminal = false

    init(verb: String, isTerminal: Bool = isatty(STDERR_FILENO) != 0, write: @escaping @Sendable (String) -> Void = BulkProgressLine.standardError) {
        self.verb = verb
        self.isTerminal = isTerminal
        self.write = write
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// What ``BulkOptions/progress`` calls after each batch.
    func report(_ progress: BulkProgress) {
        lock.lock()
        defer { lock.unlock() }
        guard progress.elapsed >= Self.quietPeriod else { return }
        let interval = isTerminal ? Self.terminalInterval : Self.logInterval
        if let last = lastPrinted, progress.elapsed - last < interval { return }
        lastPrinted = progress.elapsed
        let text = Self.text(verb: verb, progress)
        if isTerminal {
            write("\r\u{1B}[K" + text)
            printedOnTerminal = true
        } else {
            write(text + "\n")
        }
    }

    /// Ends the line on a terminal, so that what follows starts on a line of its own.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if printedOnTerminal { write("\n") }
        printedOnTerminal = false
    }

    /// `reset: 120000 of 1000000 runs (12%), 40000 runs/s, about 22s left, 24 batches`
    static func text(verb: String, _ progress: BulkProgress) -> String {
        let seconds = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(progress.done) / seconds : 0
        var text = "\(verb): \(progress.done)"
        if let expected = progress.expected, expected > 0 {
            text += " of \(expected) runs (\(min(100, progress.done * 100 / expected))%)"
        } else {
            text += " runs"
        }
        text += ", \(Int(rate.rounded())) runs/s"
        if let expected = progress.expected, rate > 0, expected > progress.done {
            let left = Duration.seconds(Int64((Double(expected - progress.done) / rate).rounded(.up)))
            text += ", about \(left.compactText) left"
        }
        text += ", \(progress.batches) batch\(progress.batches == 1 ? "" : "es")"
        return text
    }
}

/// A bulk change as JSON: the same summary the text output gives, with a bounded sample.
struct BulkChangeJSON: Encodable {
    let ok = true
    let dryRun: Bool
    let batchID: String?
    /// Runs changed, parents included.
    let changed: Int
    let byTable: [String: Int]
    let byStatus: [String: Int]
    let skipped: Int
    let sample: [ChangedRunJSON]
    let batches: Int
    let longestBatchMilliseconds: Int

    init(_ changed: ChangedRuns, batchID: String?, skipped: Int, dryRun: Bool = false) {
        batches = changed.batches
        longestBatchMilliseconds = BulkText.milliseconds(changed.longestBatch)
        self.dryRun = dryRun
        self.batchID = batchID
        self.changed = changed.count
        byTable = changed.byTable
        byStatus = changed.byStatus
        self.skipped = skipped
        sample = changed.sample.map(ChangedRunJSON.init)
    }
}

enum BulkText {
    /// A preview's sample as a table, and how many more runs it stands for (reset, delete).
    static func preview(_ sample: [ResetCandidate], count: Int) -> [String] {
        guard !sample.isEmpty else { return [] }
        let rows = sample.map { [RunText.id($0.id), RunText.safe($0.status), RunText.safe($0.kind), RunText.time($0.startedAt), RunText.time($0.heartbeatAt)] }
        var lines = TextTable(header: ["ID", "STATUS", "KIND", "STARTED", "HEARTBEAT"], rows: rows).lines
        if count > sample.count { lines.append("... and \(count - sample.count) more") }
        return lines
    }

    /// The lines a bulk change prints: counts per status and table, a sample, and the batch.
    static func milliseconds(_ duration: Duration) -> Int { Int((duration.seconds * 1_000).rounded()) }

    static func summary(_ changed: ChangedRuns, verb: String, table: String) -> [String] {
        guard !changed.isEmpty else { return [] }
        var lines: [String] = []
        for run in changed.sample {
            lines.append("  \(RunText.safe(run.table)) \(RunText.id(run.id)): \(RunText.safe(run.oldStatus)) -> \(RunText.safe(run.newStatus))")
        }
        if changed.count > changed.sample.count { lines.append("  ... and \(changed.count - changed.sample.count) more") }
        let statuses = changed.byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \(RunText.safe($0.key))" }.joined(separator: ", ")
        var line = "\(verb) \(changed.count(in: table)) run(s)"
        if !statuses.isEmpty && changed.byStatus.count > 1 { line += " (\(statuses))" }
        for (other, count) in changed.byTable.sorted(by: { $0.key < $1.key }) where other != table {
            line += ", and \(count) parent run(s) in \(RunText.safe(other))"
        }
        if changed.batches > 0 {
            line += " in \(changed.batches) batch\(changed.batches == 1 ? "" : "es"), the longest \(Self.milliseconds(changed.longestBatch)) ms"
        }
        lines.append(line)
        return lines
    }
}
