import ArgumentParser
import TaskWarden

/// `taskwarden undo`: puts back what one journaled batch changed, where nothing changed since.
struct UndoCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Restore the old status of each run of a batch that still has the status the batch set.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions
    @OptionGroup var showSQL: ShowSQLOption
    @OptionGroup var list: ChangeListOption

    @Argument(help: ArgumentHelp("The batch id that recover or reset printed.", valueName: "batch"))
    var batch: String

    @Flag(help: "Show what would be restored and what would be left alone; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Journal entries per transaction (default 2000; 5000 on SQLite).", valueName: "n"))
    var batchSize: Int?

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        try showSQL.validate(dryRun: dryRun)
    }

    func run() throws {
        try table.withTaskRuns(globals) { session, runs, _ in
            if showSQL.enabled {
                try showSQL.print(runs, session: session, command: "undo", json: globals.json) {
                    _ = try $0.undo(batchID: batch, options: BulkOptions(batchSize: batchSize))
                }
                return
            }
            let progress = BulkProgressLine(verb: "undo")
            let result = try runs.undo(batchID: batch, dryRun: dryRun, options: BulkOptions(batchSize: batchSize, progress: progress.report))
            progress.finish()
            if globals.json {
                JSONOutput.print(
                    UndoJSON(
                        dryRun: dryRun, batchID: result.batchID, restored: result.restored.count, byTable: result.restored.byTable,
                        sample: result.restored.sample.map(ChangedRunJSON.init), skipped: result.skipped.count,
                        skippedSample: result.skipped.sample.map { .init(id: $0.runID, table: $0.table, currentStatus: $0.currentStatus) },
                        batches: result.restored.batches, longestBatchMilliseconds: BulkText.milliseconds(result.restored.longestBatch)))
                try list.print(batchID: dryRun ? nil : result.batchID, runs: runs, json: true)
                return
            }
            let verb = dryRun ? "would restore" : "restored"
            for run in result.restored.sample {
                print("\(verb) \(RunText.safe("\(run.table) \(run.id.plainText): \(run.oldStatus) -> \(run.newStatus)"))")
            }
            if result.restored.count > result.restored.sample.count && !result.restored.sample.isEmpty {
                print("... and \(result.restored.count - result.restored.sample.count) more")
            }
            for run in result.skipped.sample {
                print("left alone \(RunText.safe("\(run.table) \(run.runID): now \(run.currentStatus ?? "missing"), not \(run.batchStatus ?? "?")"))")
            }
            if result.skipped.count > result.skipped.sample.count { print("... and \(result.skipped.count - result.skipped.sample.count) more left alone") }
            let batches = result.restored.batches > 0
                ? " in \(result.restored.batches) batch\(result.restored.batches == 1 ? "" : "es"), the longest \(BulkText.milliseconds(result.restored.longestBatch)) ms" : ""
            print("\(verb) \(result.restored.count), left alone \(result.skipped.count)\(batches)" + (result.batchID.map { "; batch \($0)" } ?? ""))
            try list.print(batchID: dryRun ? nil : result.batchID, runs: runs, json: false)
        }
    }

    struct UndoJSON: Encodable {
        struct Skipped: Encodable {
            let id: String
            let table: String
            let currentStatus: String?
        }
        let ok = true
        let dryRun: Bool
        let batchID: String?
        /// Runs restored (would be, in a dry run), and per table.
        let restored: Int
        let byTable: [String: Int]
        let sample: [ChangedRunJSON]
        /// Runs left alone, and a sample of them with their status now.
        let skipped: Int
        let skippedSample: [Skipped]
        /// Pages committed, and the longest one's time.
        let batches: Int
        let longestBatchMilliseconds: Int
    }
}
