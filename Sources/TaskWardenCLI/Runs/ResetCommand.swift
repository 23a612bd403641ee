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
            unless --yes. Changes go in batches of 5000 (2000 on MySQL/MariaDB; --batch-size), each one short transaction \
            that journals and changes its runs by set statements. Prints counts, a sample and the \
            batch; the full list is the journal's ('taskwarden journal --batch BATCH'). Undo with \
            'taskwarden undo BATCH'.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions
    @OptionGroup var showSQL: ShowSQLOption

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

    @Option(help: ArgumentHelp("Why: required, recorded in every run and journal entry.", valueName: "text"))
    var reason: String

    @Flag(help: "Show the count and a sample, and change nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(help: ArgumentHelp("Runs per transaction (default 5000; 2000 on MySQL/MariaDB).", valueName: "n"))
    var batchSize: Int?

    func validate() throws {
        try olderThan.requirePositive("--older-than")
        guard !statuses.isEmpty else { throw ValidationError("give at least one --status (e.g. --status running)") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
        guard !statuses.contains(to.status) else { throw ValidationError("--to \(to.rawValue) is also a --status: nothing would change") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        try showSQL.validate(dryRun: dryRun)
    }

    func run() throws {
        try table.withTaskRuns(globals) { session, runs, _ in
            let filter = ResetFilter(statuses: statuses, kinds: kinds, ids: ids, olderThan: olderThan)
            try runs.table.checkWritable(to.status)
            if showSQL.enabled {
                try showSQL.print(runs, session: session, command: "reset", json: globals.json) {
                    _ = try $0.reset(filter, to: to.status, reason: reason, options: BulkOptions(batchSize: batchSize))
                }
                return
            }
            let preview = try runs.previewReset(filter, reason: reason)
            let from = statuses.map(\.rawValue).joined(separator: "/")
            let description = "set \(preview.count) run(s) of \(runs.table.name) on \(session.url.redacted) from \(from) to \(to.rawValue)"
            if dryRun || preview.count == 0 {
                if globals.json {
                    JSONOutput.print(PreviewJSON(dryRun: dryRun, count: preview.count, sample: preview.sample.map { RunText.rawID($0.id) }))
                } else if dryRun {
                    printSample(preview)
                    print("dry run: would \(description); nothing was changed")
                } else {
                    print("no run of \(runs.table.name) matched (\(from)); nothing was changed")
                }
                return
            }
            if !yes {
                if !globals.json { printSample(preview) }
                try Confirmation.require(description)
            }
            let progress = BulkProgressLine(verb: "reset")
            let result = try runs.reset(
                filter, to: to.status, reason: reason,
                options: BulkOptions(batchSize: batchSize, expected: preview.count, progress: progress.report))
            progress.finish()
            if globals.json {
                JSONOutput.print(BulkChangeJSON(result.changed, batchID: result.batchID, skipped: result.skipped))
                return
            }
            BulkText.summary(result.changed, verb: "changed", table: runs.table.name.description).forEach { print($0) }
            if result.changed.isEmpty { print("changed 0 run(s)") }
            if result.skipped > 0 { print("\(result.skipped) run(s) changed meanwhile and were left alone") }
            if let batch = result.batchID { print("batch \(batch) (undo with 'taskwarden undo \(batch)')") }
        }
    }

    private func printSample(_ preview: ResetPreview) {
        guard !preview.sample.isEmpty else { return }
        let rows = preview.sample.map { [RunText.id($0.id), RunText.safe($0.status), RunText.safe($0.kind), RunText.time($0.startedAt), RunText.time($0.heartbeatAt)] }
        TextTable(header: ["ID", "STATUS", "KIND", "STARTED", "HEARTBEAT"], rows: rows).lines.forEach { print($0) }
        if preview.count > preview.sample.count { print("... and \(preview.count - preview.sample.count) more") }
    }

    struct PreviewJSON: Encodable {
        let ok = true
        let dryRun: Bool
        let count: Int
        let sample: [String]
    }

}
