import ArgumentParser
import TaskWarden

/// `taskwarden migrate baseline`: adopts an existing schema without running its migrations.
struct MigrateBaselineCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record migrations up to --version as applied without running them (adopt an existing schema).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Option(help: ArgumentHelp("The version the existing schema corresponds to.", valueName: "version"))
    var version: Int64

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: true) { session, migrator in
            let result = try migrator.baseline(version: version)
            if globals.json {
                JSONOutput.print(BaselineJSON(set: migrator.set.name, baselined: result.steps.map(MigrationStepJSON.init), currentVersion: result.currentVersion))
                return
            }
            for step in result.steps { print("baselined \(step.version) \(step.name)") }
            print("set '\(migrator.set.name)' at version \(result.currentVersion)")
        }
    }

    struct BaselineJSON: Encodable {
        let ok = true
        let set: String
        let baselined: [MigrationStepJSON]
        let currentVersion: Int64
    }
}
