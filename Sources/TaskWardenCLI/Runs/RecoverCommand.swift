import ArgumentParser
import TaskWarden

/// `taskwarden recover`: marks stuck runs failed or cancelled, or requeues them, journaled.
struct RecoverCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Mark stuck runs failed (default) or cancelled, or requeue them; race-safe and journaled.",
        discussion: """
            Each update re-checks that the run is still running and still silent, so a run that \
            finished or sent a heartbeat a moment ago is left alone. --to queued requeues runs with \
            attempts left and fails the others. Every change can be undone with 'taskwarden undo BATCH'.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @OptionGroup var selection: StuckSelection

    @Option(help: ArgumentHelp("The status stuck runs get.", valueName: "status"))
    var to: TargetStatus = .failed

    @Option(help: ArgumentHelp("Why, recorded in the run and the journal.", valueName: "text"))
    var reason: String?

    @Flag(help: "Show exactly the runs that would change, and change nothing.")
    var dryRun = false


    func validate() throws {
    }

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, configuration in
            let result = try runs.recover(
                RecoverOptions(
                    policy: configuration.stuck.overridden(by: selection.olderThan), kind: selection.kind, target: to.status,
                    reason: reason, dryRun: dryRun, limit: selection.limit))
            if globals.json {
                JSONOutput.print(
                    RecoverJSON(
                        dryRun: dryRun, batchID: result.batchID, stuck: result.stuck.map(StuckRunJSON.init),
                        changed: result.changed.map(ChangedRunJSON.init), skipped: result.skipped))
                return
            }
            if dryRun {
                for run in result.stuck {
                    print("would mark \(RunText.id(run.id)) (\(RunText.safe(run.kind ?? "-")), silent for \(RunText.age(run.silentFor))) \(to.rawValue)")
                }
                print("dry run: \(result.stuck.count) run(s) would change in \(runs.table.name); nothing was changed")
                return
            }
            for run in result.changed {
                print("\(RunText.safe(run.table)) \(RunText.id(run.id)): \(RunText.safe(run.oldStatus)) -> \(RunText.safe(run.newStatus))")
            }
            if result.skipped > 0 { print("\(result.skipped) run(s) finished or sent a heartbeat meanwhile and were left alone") }
            if let batch = result.batchID {
                print("recovered \(result.changed.count) run(s); batch \(batch) (undo with 'taskwarden undo \(batch)')")
            } else {
                print("no stuck runs in \(runs.table.name)")
            }
        }
    }

    struct RecoverJSON: Encodable {
        let ok = true
        let dryRun: Bool
        let batchID: String?
        let stuck: [StuckRunJSON]
        let changed: [ChangedRunJSON]
        let skipped: Int
    }
}
