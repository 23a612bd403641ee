import ArgumentParser
import TaskWarden

/// `taskwarden undo`: puts back what one journaled batch changed, where nothing changed since.
struct UndoCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Restore the old status of each run of a batch that still has the status the batch set.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Argument(help: ArgumentHelp("The batch id that recover or reset printed.", valueName: "batch"))
    var batch: String

    @Flag(help: "Show what would be restored and what would be left alone; change nothing.")
    var dryRun = false

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, _ in
            let result = try runs.undo(batchID: batch, dryRun: dryRun)
            if globals.json {
                JSONOutput.print(
                    UndoJSON(
                        dryRun: dryRun, batchID: result.batchID, restored: result.restored.map { .init(id: $0.runID, table: $0.targetTable) },
                        skipped: result.skipped.map { .init(id: $0.entry.runID, table: $0.entry.targetTable, currentStatus: $0.currentStatus) }))
                return
            }
            let verb = dryRun ? "would restore" : "restored"
            for entry in result.restored {
                print("\(verb) \(RunText.safe("\(entry.targetTable) \(entry.runID): \(entry.newStatus ?? "?") -> \(entry.oldStatus ?? "?")"))")
            }
            for (entry, current) in result.skipped {
                print("left alone \(RunText.safe("\(entry.targetTable) \(entry.runID): now \(current ?? "missing"), not \(entry.newStatus ?? "?")"))")
            }
            print("\(verb) \(result.restored.count), left alone \(result.skipped.count)" + (result.batchID.map { "; batch \($0)" } ?? ""))
        }
    }

    struct UndoJSON: Encodable {
        struct Restored: Encodable {
            let id: String
            let table: String
        }
        struct Skipped: Encodable {
            let id: String
            let table: String
            let currentStatus: String?
        }
        let ok = true
        let dryRun: Bool
        let batchID: String?
        let restored: [Restored]
        let skipped: [Skipped]
    }
}
