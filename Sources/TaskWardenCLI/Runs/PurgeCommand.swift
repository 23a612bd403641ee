import ArgumentParser
import Foundation
import Logging
import TaskWarden

/// `taskwarden purge`: deletes finished runs past their retention, in fast, short batches.
struct PurgeCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete finished runs past their retention, in short keyset batches (never queued or running).",
        discussion: """
            Retention comes from the flags, else from the configuration's 'retention' section; with \
            neither, purge refuses. Age is measured from finished_at on the database's clock. \
            SIGINT/SIGTERM stop between batches (a second signal stops at once); an interrupted purge \
            leaves no half batch, and the next run continues.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions
    @OptionGroup var showSQL: ShowSQLOption

    @Option(help: ArgumentHelp("Delete succeeded runs finished longer ago than this.", valueName: "duration"))
    var succeededOlderThan: Duration?

    @Option(help: ArgumentHelp("Delete failed runs finished longer ago than this.", valueName: "duration"))
    var failedOlderThan: Duration?

    @Option(help: ArgumentHelp("Delete cancelled runs finished longer ago than this.", valueName: "duration"))
    var cancelledOlderThan: Duration?

    @Option(help: ArgumentHelp("Only runs of this kind.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("Rows per batch (one transaction each).", valueName: "n"))
    var batchSize = 5_000

    @Option(help: ArgumentHelp("Stop between batches after this long.", valueName: "duration"))
    var maxDuration: Duration?

    @Option(help: ArgumentHelp("Sleep between batches.", valueName: "duration"))
    var pause: Duration?

    @Flag(help: "Count what would go, per status and kind; delete nothing.")
    var dryRun = false

    @OptionGroup var copies: RowCopyOptions

    @Option(
        help: ArgumentHelp(
            "The order to walk the table in: auto (chosen per walk from the database's statistics), index (the (status, finished_at, id) index, in finish order: best for few purgeable rows, or runs that finish in id order), or key-order (contiguous primary-key ranges: best for many purgeable rows scattered over the table).",
            valueName: "strategy"))
    var strategy: PurgeStrategyArgument = .auto

    @Flag(
        help: "On a table partitioned by time, never drop a partition: delete every row by batches (by default, partitions whose rows are all past retention are dropped whole).")
    var keepPartitions = false

    func validate() throws {
        try succeededOlderThan.requirePositive("--succeeded-older-than")
        try failedOlderThan.requirePositive("--failed-older-than")
        try cancelledOlderThan.requirePositive("--cancelled-older-than")
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 100000") }
        try showSQL.validate(dryRun: dryRun, export: copies.export)
    }

    func run() throws {
        let signals = SignalTrap(.stopBetweenBatches)
        let summary = try table.withTaskRuns(globals) { session, runs, configuration -> PurgeSummary? in
            var flags: [TaskStatus: Duration] = [:]
            flags[.succeeded] = succeededOlderThan
            flags[.failed] = failedOlderThan
            flags[.cancelled] = cancelledOlderThan
            var options = PurgeOptions(
                retention: flags.isEmpty ? configuration.retention : RetentionPolicy(statuses: flags))
            options.kind = kind
            options.batchSize = batchSize
            options.maxDuration = maxDuration
            options.pause = pause ?? .zero
            options.dryRun = dryRun
            options.archiveTable = try copies.archive()
            options.exportPath = copies.export
            options.order = strategy.order
            options.dropPartitions = !keepPartitions
            if showSQL.enabled {
                options.pause = .zero
                try showSQL.print(runs, session: session, command: "purge", json: globals.json) { _ = try $0.purge(options) }
                return nil
            }
            let line = ProgressLine(enabled: !globals.json && !dryRun && isatty(STDERR_FILENO) == 1)
            if line.enabled {
                // On a terminal, count first, for the estimate of the time left.
                var count = options
                count.dryRun = true
                line.total = try runs.purge(count).rows
            }
            defer { line.finish() }
            let summary = try runs.purge(options, progress: line.update, shouldStop: { signals.receivedSignal != nil })
            let logger = globals.makeLogger()
            for walk in summary.orders {
                logger.info("purge order", metadata: ["statuses": "\(walk.statuses.joined(separator: ","))", "kind": "\(walk.kind ?? "*")", "order": "\(walk.decision.order)", "reason": "\(walk.decision.reason.rawValue)", "statistics": "\(Self.statisticsText(walk.decision.statistics))"])
            }
            return summary
        }
        guard let summary else { return }
        report(summary)
        if let signal = signals.receivedSignal { throw ExitCode(128 + signal) }
    }

    private func report(_ summary: PurgeSummary) {
        if globals.json {
            JSONOutput.print(PurgeJSON(summary))
            return
        }
        for leftover in summary.droppedLeftovers {
            print("dropped \(leftover), a partition an interrupted purge had detached")
        }
        for partition in summary.droppedPartitions {
            let took = summary.dryRun ? "" : "; table locked \(Int(partition.duration.seconds * 1_000)) ms"
            print("\(summary.dryRun ? "would drop" : "dropped") partition \(partition.name) whole (~\(partition.estimatedRows) rows, all past retention)\(took)")
        }
        for walk in summary.orders {
            print(Self.orderText(walk, dryRun: summary.dryRun))
        }
        if let cap = summary.batchSizeCap { print(Self.capText(cap)) }
        if summary.dryRun {
            for item in summary.wouldDelete { print("would delete \(item.rows) \(RunText.safe(item.status)) run(s)\(item.kind.map { " of kind \(RunText.safe($0))" } ?? "")") }
            print("dry run: \(summary.rows) run(s) would be deleted; nothing was deleted")
            return
        }
        for pass in summary.passes where pass.rows > 0 {
            print(
                "deleted \(pass.rows) \(RunText.safe(pass.value)) run(s)\(pass.kind.map { " of kind \(RunText.safe($0))" } ?? "") older than \(pass.retention.compactText) in \(pass.batches) batch(es), \(RunText.age(pass.duration)); longest batch \(Int(pass.longestBatch.seconds * 1_000)) ms")
        }
        if summary.retriedBatches > 0 {
            print("ran \(summary.retriedBatches) batch(es) again after a deadlock or a failed Galera certification rolled them back")
        }
        let stop: String? =
            switch summary.stoppedEarly {
            case .maxDuration: "--max-duration reached"
            case .stopRequested: "interrupted"
            case nil: nil
            }
        let partitions = summary.droppedPartitions.isEmpty ? "" : " by batches, and \(summary.droppedPartitions.count) partition(s) whole"
        print("purged \(summary.rows) run(s)" + partitions + (stop.map { "; stopped early (\($0)): run again to continue" } ?? ""))
    }

    /// `batch size 900 instead of 5000: under the Galera cluster's write-set limits (...)`.
    static func capText(_ cap: PurgeSummary.BatchSizeCap) -> String {
        var limits: [String] = []
        if let rows = cap.maxWriteSetRows { limits.append("wsrep_max_ws_rows \(rows)") }
        if let bytes = cap.maxWriteSetBytes { limits.append("wsrep_max_ws_size \(bytes)") }
        return "batch size \(cap.batchSize) instead of \(cap.requested): under the Galera cluster's write-set limits (\(limits.joined(separator: ", ")))"
    }

    /// `walked succeeded, failed in primary-key order (auto: many purgeable rows, scattered; ...)`.
    static func orderText(_ walk: PurgeSummary.WalkOrder, dryRun: Bool) -> String {
        let statuses = walk.statuses.map(RunText.safe).joined(separator: ", ")
        let kind = walk.kind.map { " of kind \(RunText.safe($0))" } ?? ""
        let why =
            walk.decision.reason == .forced
            ? "forced with --strategy" : "auto: \(walk.decision.reason.rawValue); \(statisticsText(walk.decision.statistics))"
        return "\(dryRun ? "would walk" : "walked") \(statuses) run(s)\(kind) in \(walk.decision.order) order (\(why))"
    }

    static func statisticsText(_ statistics: PurgeOrderStatistics?) -> String {
        guard let statistics else { return "none" }
        let purgeable = statistics.purgeableRows >= statistics.manyRows ? "at least \(statistics.purgeableRows)" : "\(statistics.purgeableRows)"
        var text = "\(purgeable) purgeable of ~\(statistics.estimatedRows) rows"
        if let correlation = statistics.finishCorrelation {
            text += String(format: ", finish-order correlation %.2f", correlation)
            text += statistics.correlationSource == .statistics ? " (pg_stats)" : " (sample)"
        }
        return text
    }

    struct PurgeJSON: Encodable {
        struct Order: Encodable {
            let statuses: [String]
            let kind: String?
            let order: String
            let reason: String
            let estimatedRows: Int?
            let purgeableRows: Int?
            let manyRows: Int?
            let finishCorrelation: Double?
            let correlationSource: String?
        }
        struct Pass: Encodable {
            let status: String
            let kind: String?
            let retentionSeconds: Double
            let rows: Int
            let batches: Int
            let seconds: Double
            let longestBatchMilliseconds: Double
            let order: String
        }
        struct WouldDelete: Encodable {
            let status: String
            let kind: String?
            let rows: Int
        }
        let ok = true
        let dryRun: Bool
        let rows: Int
        let stoppedEarly: String?
        /// The batch size used when it was capped for a Galera cluster's write-set limits.
        let batchSize: Int?
        let retriedBatches: Int
        let passes: [Pass]
        let wouldDelete: [WouldDelete]
        let orders: [Order]
        /// Partitions dropped whole (a dry run: that would be); their rows are not in `rows`.
        let droppedPartitions: [DroppedPartition]
        struct DroppedPartition: Encodable {
            let name: String
            let estimatedRows: Int
            /// How long the table was locked for its check and detach or drop.
            let lockedMilliseconds: Double
        }
        /// Partitions an interrupted purge had detached, dropped by this one (PostgreSQL).
        let droppedLeftovers: [String]

        init(_ summary: PurgeSummary) {
            droppedPartitions = summary.droppedPartitions.map { DroppedPartition(name: $0.name, estimatedRows: $0.estimatedRows, lockedMilliseconds: $0.duration.seconds * 1_000) }
            droppedLeftovers = summary.droppedLeftovers
            dryRun = summary.dryRun
            rows = summary.rows
            stoppedEarly = summary.stoppedEarly?.rawValue
            batchSize = summary.batchSizeCap?.batchSize
            retriedBatches = summary.retriedBatches
            passes = summary.passes.map {
                Pass(
                    status: $0.value, kind: $0.kind, retentionSeconds: $0.retention.seconds, rows: $0.rows, batches: $0.batches,
                    seconds: $0.duration.seconds, longestBatchMilliseconds: $0.longestBatch.seconds * 1_000, order: $0.order.rawValue)
            }
            wouldDelete = summary.wouldDelete.map { WouldDelete(status: $0.status, kind: $0.kind, rows: $0.rows) }
            orders = summary.orders.map {
                let statistics = $0.decision.statistics
                return Order(
                    statuses: $0.statuses, kind: $0.kind, order: $0.decision.order.rawValue, reason: $0.decision.reason.rawValue,
                    estimatedRows: statistics?.estimatedRows, purgeableRows: statistics?.purgeableRows, manyRows: statistics?.manyRows,
                    finishCorrelation: statistics?.finishCorrelation, correlationSource: statistics?.correlationSource?.rawValue)
            }
        }
    }
}

/// One self-overwriting line on a terminal: rows done, the rate, and the time left.
final class ProgressLine {
    let enabled: Bool
    var total: Int?
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: PurgeProgress) {
        guard enabled else { return }
        let rate = progress.elapsed.seconds > 0 ? Double(progress.rowsSoFar) / progress.elapsed.seconds : 0
        var line = String(format: "\rpurging %@: %d rows, %.0f rows/s, %@ elapsed", progress.passes.map(\.value).joined(separator: ", "), progress.rowsSoFar, rate, RunText.age(progress.elapsed))
        if let total, rate > 0 {
            line += ", ~\(RunText.age(.seconds(Double(max(0, total - progress.rowsSoFar)) / rate))) left"
        }
        line += "   "
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// `--strategy`: `auto`, or a ``PurgeOrder`` by the name the issue and the docs use.
enum PurgeStrategyArgument: String, ExpressibleByArgument, CaseIterable {
    case auto
    case index
    case keyOrder = "key-order"

    var order: PurgeOrder? {
        switch self {
        case .auto: nil
        case .index: .finishTime
        case .keyOrder: .primaryKey
        }
    }
}
