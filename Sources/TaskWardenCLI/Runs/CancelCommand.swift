import ArgumentParser
import TaskWarden

/// `taskwarden cancel`: asks runs to stop; their workers see it and finish them as cancelled.
struct CancelCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Ask queued or running runs to stop (sets cancel_requested_at; journaled).",
        discussion: """
            Workers using TaskWarden's lifecycle helpers see the request at their next \
            isCancelRequested / checkCancellation and finish the run as cancelled. To change \
            the status outright, use 'taskwarden reset'.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions
    @OptionGroup var showSQL: ShowSQLOption
    @OptionGroup var list: ChangeListOption

    @Option(name: .customLong("id"), help: ArgumentHelp("A run to cancel (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("kind"), help: ArgumentHelp("Cancel every queued or running run of this kind (repeatable).", valueName: "kind"))
    var kinds: [String] = []

    @Option(help: ArgumentHelp("Why, recorded in the journal.", valueName: "text"))
    var reason: String?

    func validate() throws {
        guard !ids.isEmpty || !kinds.isEmpty else { throw ValidationError("name the runs: --id N (repeatable) or --kind K") }
    }

    func run() throws {
        try table.withTaskRuns(globals) { session, runs, _ in
            if showSQL.enabled {
                try showSQL.print(runs, session: session, command: "cancel", json: globals.json) {
                    _ = try $0.requestCancel(ids: ids, kinds: kinds, reason: reason)
                }
                return
            }
            let progress = BulkProgressLine(verb: "cancel")
            let result = try runs.requestCancel(ids: ids, kinds: kinds, reason: reason, options: BulkOptions(progress: progress.report))
            progress.finish()
            if globals.json {
                JSONOutput.print(
                    CancelJSON(batchID: result.batchID, count: result.changed.count, requested: result.changed.sample.map(\.id.plainText)))
                try list.print(batchID: result.batchID, runs: runs, json: true)
                return
            }
            for run in result.changed.sample { print("asked \(RunText.safe(run.table)) \(RunText.id(run.id)) (\(RunText.safe(run.oldStatus))) to stop") }
            if result.changed.count > result.changed.sample.count { print("... and \(result.changed.count - result.changed.sample.count) more") }
            print("cancel requested for \(result.changed.count) run(s)" + (result.batchID.map { "; batch \($0)" } ?? ""))
            try list.print(batchID: result.batchID, runs: runs, json: false)
        }
    }

    struct CancelJSON: Encodable {
        let ok = true
        let batchID: String?
        /// Runs asked to stop.
        let count: Int
        /// A sample of them (the full list: taskwarden journal --batch BATCH).
        let requested: [String]
    }
}
