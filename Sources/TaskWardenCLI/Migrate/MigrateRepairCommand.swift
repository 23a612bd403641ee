import ArgumentParser
import TaskWarden

/// `taskwarden migrate repair`: clears failed or interrupted states after a manual fix.
struct MigrateRepairCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Clear failed or interrupted migration states after a manual fix (audited in the history).",
        discussion: """
            A cleared migration runs again from its first statement at the next 'migrate up'. \
            On MySQL, a failed migration may have left some statements applied (DDL commits \
            implicitly): undo them, or edit the file, before repairing.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Flag(help: "Also accept the current text of edited applied migrations (records their new checksum).")
    var acceptChanged = false

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: true) { session, migrator in
            let result = try migrator.repair(acceptChanged: acceptChanged)
            if globals.json {
                JSONOutput.print(
                    RepairJSON(
                        set: migrator.set.name, cleared: result.cleared.map(\.version), accepted: result.accepted.map(\.version)))
                return
            }
            for entry in result.cleared { print("cleared \(entry.status.rawValue) state of \(entry.version) \(entry.name)") }
            for entry in result.accepted { print("accepted the edited file of \(entry.version) \(entry.name)") }
            if result.cleared.isEmpty && result.accepted.isEmpty { print("nothing to repair") }
        }
    }

    struct RepairJSON: Encodable {
        let ok = true
        let set: String
        let cleared: [Int64]
        let accepted: [Int64]
    }
}
