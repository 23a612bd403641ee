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
    @OptionGroup var showSQL: ShowSQLOption
    @OptionGroup var list: ChangeListOption

    @OptionGroup var selection: StuckSelection

    @Option(help: ArgumentHelp("The status stuck runs get (default: failed, or cancelled where the table has no failed).", valueName: "status"))
    var to: TargetStatus?

    @Option(help: ArgumentHelp("Why, recorded in the run and the journal.", valueName: "text"))
    var reason: String?

    @Flag(help: "Show the runs that would change (all with --limit, else a sample) and their count; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Runs per transaction (default 2000; 5000 on SQLite).", valueName: "n"))
    var batchSize: Int?

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        try showSQL.validate(dryRun: dryRun)
    }

    func run() throws {
        try table.withTaskRuns(globals) { session, runs, configuration in
            let target = to?.status ?? (runs.table.lacks(.failed) ? .cancelled : .failed)
            let options = RecoverOptions(
                policy: configuration.stuck.overridden(by: selection.olderThan), kind: selection.kind, target: target,
                reason: reason, dryRun: dryRun, limit: selection.limit)
            if showSQL.enabled {
                try showSQL.print(runs, session: session, command: "recover", json: globals.json) {
                    _ = try $0.recover(options, bulk: BulkOptions(batchSize: batchSize))
                }
                return
            }
            let progress = BulkProgressLine(verb: "recover")
            let result = try runs.recover(options, bulk: BulkOptions(batchSize: batchSize, progress: progress.report))
            progress.finish()
            if globals.json {
                JSONOutput.print(
                    RecoverJSON(
                        summary: BulkChangeJSON(result.changed, batchID: result.batchID, skipped: result.skipped, dryRun: dryRun),
                        found: result.found, stuck: result.stuck.map(StuckRunJSON.init)))
                try list.print(batchID: result.batchID, runs: runs, json: true)
                return
            }
            if dryRun {
                for run in result.stuck {
                    print("would mark \(RunText.id(run.id)) (\(RunText.safe(run.kind ?? "-")), silent for \(RunText.age(run.silentFor))) \(target.rawValue)")
                }
                if result.found > result.stuck.count { print("... and \(result.found - result.stuck.count) more") }
                print("dry run: \(result.found) run(s) would change in \(runs.table.name); nothing was changed")
                return
            }
            BulkText.summary(result.changed, verb: "recovered", table: runs.table.name.description).forEach { print($0) }
            if result.skipped > 0 { print("\(result.skipped) run(s) finished or sent a heartbeat meanwhile and were left alone") }
            if let batch = result.batchID {
                print("batch \(batch) (undo with 'taskwarden undo \(batch)')")
                try list.print(batchID: batch, runs: runs, json: false)
            } else {
                print("no stuck runs in \(runs.table.name)")
            }
        }
    }

    struct RecoverJSON: Encodable {
        let summary: BulkChangeJSON
        let found: Int
        let stuck: [StuckRunJSON]

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(found, forKey: .found)
            try container.encode(stuck, forKey: .stuck)
        }

        enum Keys: String, CodingKey { case found, stuck }
    }
}
