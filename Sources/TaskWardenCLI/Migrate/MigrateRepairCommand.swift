import ArgumentParser
import TaskWarden

/// `taskwarden migrate repair`: clears failed or interrupted states after a manual fix.
struct MigrateRepairCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Clear failed or interrupted migration states after a manual fix (audited in the history).",
        discussion: """
            A cleared migration runs again from its first statement at the next 'migrate up'. \
            On MySQL, a failed or interrupted migration may have left some statements applied \
            (DDL commits implicitly; 'migrate status' says how many): either undo them before \
            repairing, or run the remaining statements by hand and use --mark-applied.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Flag(help: "Also accept the current text of edited applied migrations (records their new checksum).")
    var acceptChanged = false

    @Option(help: ArgumentHelp(
        "Record this failed or interrupted migration as applied, after you ran its remaining statements by hand.",
        valueName: "version"))
    var markApplied: Int64?

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: true) { session, migrator in
            let result = try migrator.repair(acceptChanged: acceptChanged, markApplied: markApplied)
            if globals.json {
                JSONOutput.print(
                    RepairJSON(
                        set: migrator.set.name, cleared: result.cleared.map(\.version), accepted: result.accepted.map(\.version),
                        markedApplied: result.markedApplied.map(\.version)))
                return
            }
            for entry in result.cleared { print("cleared \(entry.status.rawValue) state of \(entry.version) \(entry.name)") }
            for entry in result.accepted { print("accepted the edited file of \(entry.version) \(entry.name)") }
            for entry in result.markedApplied { print("marked \(entry.version) \(entry.name) as applied (finished by hand)") }
            if result.cleared.isEmpty && result.accepted.isEmpty && result.markedApplied.isEmpty { print("nothing to repair") }
        }
    }

    struct RepairJSON: Encodable {
        let ok = true
        let set: String
        let cleared: [Int64]
        let accepted: [Int64]
        let markedApplied: [Int64]
    }
}
