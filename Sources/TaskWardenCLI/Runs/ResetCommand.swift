import Foundation
import ArgumentParser
import TaskWarden

/// `taskwarden reset`: the emergency bulk status change, filtered, confirmed, journaled, undoable.
struct ResetCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Emergency bulk status change: filtered, dry-run first, confirmed, journaled, undoable.",
        discussion: """
            Shows the count and a sample, then asks on a terminal; without a terminal it refuses \
            unless --yes. Changes go in batches of 2000 (5000 on SQLite; --batch-size), each one short transaction \
            that journals and changes its runs by set statements. Prints counts, a sample and the \
            batch; the full list is the journal's ('taskwarden journal --batch BATCH'). Undo with \
            'taskwarden undo BATCH'.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions
    @OptionGroup var showSQL: ShowSQLOption
    @OptionGroup var list: ChangeListOption

    @Option(name: .customLong("status"), help: ArgumentHelp("The status of the runs to change (repeatable).", valueName: "status"))
    var statuses: [TaskStatus] = []

    @Option(help: ArgumentHelp("The new status.", valueName: "status"))
    var to: TargetStatus

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only runs of this kind (repeatable).", valueName: "kind"))
    var kinds: [String] = []

    @Option(name: .customLong("id"), help: ArgumentHelp("Only this run (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(help: ArgumentHelp("Only runs whose last sign of life is older than this.", valueName: "duration"))
    var olderThan: Duration?

    @OptionGroup var change: ConfirmedChangeOptions

    func validate() throws {
        try olderThan.requirePositive("--older-than")
        guard !statuses.isEmpty else { throw ValidationError("give at least one --status (e.g. --status running)") }
        guard !statuses.contains(to.status) else { throw ValidationError("--to \(to.rawValue) is also a --status: nothing would change") }
        try showSQL.validate(dryRun: change.dryRun)
    }

    func run() throws {
        try table.withTaskRuns(globals) { session, runs, _ in
            let filter = ResetFilter(statuses: statuses, kinds: kinds, ids: ids, olderThan: olderThan)
            try runs.table.checkWritable(to.status)
            if showSQL.enabled {
                try showSQL.print(runs, session: session, command: "reset", json: globals.json) {
                    _ = try $0.reset(filter, to: to.status, reason: change.reason, options: BulkOptions(batchSize: change.batchSize))
                }
                return
            }
            let preview = try runs.previewReset(filter, reason: change.reason)
            let from = statuses.map(\.rawValue).joined(separator: "/")
            let description = "set \(preview.count) run(s) of \(runs.table.name) on \(session.url.redacted) from \(from) to \(to.rawValue)"
            let proceed = try change.proceed(
                description, count: preview.count, sample: BulkText.preview(preview.sample, count: preview.count), json: globals.json,
                nothingMatched: "no run of \(runs.table.name) matched (\(from)); nothing was changed", outcome: "changed"
            ) {
                JSONOutput.print(PreviewJSON(dryRun: change.dryRun, count: preview.count, sample: preview.sample.map(\.id.plainText)))
            }
            guard proceed else { return }
            let progress = BulkProgressLine(verb: "reset")
            let result = try runs.reset(
                filter, to: to.status, reason: change.reason,
                options: BulkOptions(batchSize: change.batchSize, expected: preview.count, progress: progress.report))
            progress.finish()
            if globals.json {
                JSONOutput.print(BulkChangeJSON(result.changed, batchID: result.batchID, skipped: result.skipped))
                try list.print(batchID: result.batchID, runs: runs, json: true)
                return
            }
            BulkText.summary(result.changed, verb: "changed", table: runs.table.name.description).forEach { print($0) }
            if result.changed.isEmpty { print("changed 0 run(s)") }
            if result.skipped > 0 { print("\(result.skipped) run(s) changed meanwhile and were left alone") }
            if let batch = result.batchID { print("batch \(batch) (undo with 'taskwarden undo \(batch)')") }
            try list.print(batchID: result.batchID, runs: runs, json: false)
        }
    }

    struct PreviewJSON: Encodable {
        let ok = true
        let dryRun: Bool
        let count: Int
        let sample: [String]
    }

}
