import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden delete`: deletes finished runs by id, kind or status; previewed, confirmed,
/// journaled, and with `--archive-table`, undoable.
struct DeleteCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete finished runs by id, kind or status (never queued or running): previewed, confirmed, journaled.",
        discussion: """
            Shows the count and a sample, then asks on a terminal; without a terminal it refuses \
            unless --yes. Runs named with --id that are missing, queued or running are listed \
            with the reason and left alone. Deletes go in batches of 2000 (5000 on SQLite; \
            --batch-size), each one short transaction that journals, copies and deletes its runs, \
            re-checking that each is still finished. SIGINT/SIGTERM stop between batches (a second \
            signal stops at once); the next run continues. With --archive-table, 'taskwarden undo BATCH' \
            puts the rows back; --export writes them as JSON Lines, exactly once.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Option(name: .customLong("id"), help: ArgumentHelp("A run to delete (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only runs of this kind (repeatable).", valueName: "kind"))
    var kinds: [String] = []

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp("Only runs of this finished status: succeeded, failed or cancelled (repeatable; default all three).", valueName: "status"))
    var statuses: [TaskStatus] = []

    @OptionGroup var change: ConfirmedChangeOptions
    @OptionGroup var copies: RowCopyOptions
    @OptionGroup var showSQL: ShowSQLOption
    @OptionGroup var list: ChangeListOption

    func validate() throws {
        guard !ids.isEmpty || !kinds.isEmpty || !statuses.isEmpty else {
            throw ValidationError("name the runs to delete: --id ID (repeatable), --kind K or --status S")
        }
        if let status = statuses.first(where: { !$0.isTerminal }) {
            throw ValidationError("--status \(status.rawValue): delete removes finished runs only (succeeded, failed, cancelled)")
        }
        try showSQL.validate(dryRun: change.dryRun, export: copies.export)
    }

    func run() throws {
        // Set once confirmed: until then a signal stops the command (and the question) at once.
        var signals: SignalTrap?
        try table.withTaskRuns(globals) { session, runs, _ in
            let filter = DeleteFilter(ids: ids, kinds: kinds, statuses: statuses)
            var options = DeleteOptions(archiveTable: try copies.archive(), exportPath: copies.export)
            if showSQL.enabled {
                options.bulk = BulkOptions(batchSize: change.batchSize)
                try showSQL.print(runs, session: session, command: "delete", json: globals.json) {
                    _ = try $0.delete(filter, reason: change.reason, options: options)
                }
                return
            }
            let preview = try runs.previewDelete(filter, reason: change.reason, options: options)
            let name = runs.table.name.description
            let destination = options.archiveTable.map { ", archiving them in \($0)" } ?? copies.export.map { ", exporting them to \($0)" } ?? ""
            let description = "delete \(preview.count) finished run(s) of \(name) on \(session.url.redacted)\(destination)"
            let proceed = try change.proceed(
                description, count: preview.count, notes: refusedLines(preview.refused, table: name),
                sample: BulkText.preview(preview.sample, count: preview.count), json: globals.json,
                nothingMatched: "no finished run of \(name) matched; nothing was deleted", outcome: "deleted"
            ) {
                JSONOutput.print(
                    PreviewJSON(
                        dryRun: change.dryRun, count: preview.count, sample: preview.sample.map(\.id.plainText),
                        refused: preview.refused.map(RefusedJSON.init)))
            }
            guard proceed else { return }
            let trap = SignalTrap(.stopBetweenBatches)
            signals = trap
            let progress = BulkProgressLine(verb: "delete")
            options.bulk = BulkOptions(
                batchSize: change.batchSize, expected: preview.count, progress: progress.report, shouldStop: { trap.receivedSignal != nil })
            let result = try runs.delete(filter, reason: change.reason, options: options)
            progress.finish()
            if globals.json {
                JSONOutput.print(DeleteJSON(result, archiveTable: options.archiveTable?.description, export: copies.export))
                try list.print(batchID: result.batchID, runs: runs, json: true)
                return
            }
            // Without --yes the refused runs were listed before the question.
            if change.yes { refusedLines(result.refused, table: name).forEach { print($0) } }
            BulkText.summary(result.deleted, verb: "deleted", table: name).forEach { print($0) }
            if result.deleted.isEmpty { print("deleted 0 run(s)") }
            if let archive = options.archiveTable, !result.deleted.isEmpty { print("archived in \(RunText.safe(archive.description))") }
            if let export = copies.export, !result.deleted.isEmpty { print("exported to \(RunText.safe(export))") }
            if result.skipped > 0 { print("\(result.skipped) run(s) were no longer finished when their batch came and were left alone") }
            if let batch = result.batchID {
                print(
                    options.archiveTable == nil
                        ? "batch \(batch) (journal: 'taskwarden journal --batch \(batch)'; without --archive-table it cannot be undone)"
                        : "batch \(batch) (undo with 'taskwarden undo \(batch)')")
            }
            if result.stoppedEarly { print("stopped early (interrupted) between batches: run again to continue") }
            try list.print(batchID: result.batchID, runs: runs, json: false)
        }
        if let signal = signals?.receivedSignal { throw ExitCode(128 + signal) }
    }

    /// `not deleted: task_runs 17 is running: only finished runs are deleted`
    private func refusedLines(_ refused: [RefusedRun], table: String) -> [String] {
        refused.map { run in
            let what = "not deleted: \(RunText.safe(table)) \(RunText.safe(run.id))"
            switch run.reason {
            case .missing: return "\(what): no such run"
            case .notFinished(let status): return "\(what) is \(RunText.safe(status)): only finished runs are deleted"
            case .notSelected(let status): return "\(what) is \(RunText.safe(status)), which --status/--kind do not select"
            }
        }
    }

    /// A run named with `--id` and left alone: `reason` is `missing`, `not finished` or
    /// `not selected`; `status` its status now (none when missing).
    struct RefusedJSON: Encodable {
        let id: String
        let reason: String
        let status: String?

        init(_ run: RefusedRun) {
            id = run.id
            switch run.reason {
            case .missing: (reason, status) = ("missing", nil)
            case .notFinished(let status): (reason, self.status) = ("not finished", status)
            case .notSelected(let status): (reason, self.status) = ("not selected", status)
            }
        }
    }

    struct PreviewJSON: Encodable {
        let ok = true
        let dryRun: Bool
        let count: Int
        let sample: [String]
        let refused: [RefusedJSON]
    }

    struct DeleteJSON: Encodable {
        let ok = true
        let dryRun = false
        let batchID: String?
        /// Runs deleted.
        let deleted: Int
        /// Runs selected but no longer finished when their batch came.
        let skipped: Int
        let refused: [RefusedJSON]
        let sample: [ChangedRunJSON]
        let archiveTable: String?
        let export: String?
        let batches: Int
        let longestBatchMilliseconds: Int
        /// `stop requested` when a signal stopped it between batches.
        let stoppedEarly: String?

        init(_ result: DeleteResult, archiveTable: String?, export: String?) {
            batchID = result.batchID
            deleted = result.deleted.count
            skipped = result.skipped
            refused = result.refused.map(RefusedJSON.init)
            sample = result.deleted.sample.map(ChangedRunJSON.init)
            self.archiveTable = archiveTable
            self.export = export
            batches = result.deleted.batches
            longestBatchMilliseconds = BulkText.milliseconds(result.deleted.longestBatch)
            stoppedEarly = result.stoppedEarly ? "stop requested" : nil
        }
    }
}
