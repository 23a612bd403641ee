import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden migrate up`: applies pending migrations. The deploy step.
struct MigrateUpCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Apply pending migrations (safe to run on every deploy, from many replicas at once).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Option(help: ArgumentHelp("Stop after this version.", valueName: "version"))
    var to: Int64?

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: true) { session, migrator in
            let result = try migrator.up(to: to)
            if globals.json {
                JSONOutput.print(
                    UpReport(
                        set: migrator.set.name, applied: result.steps.map(MigrationStepJSON.init),
                        currentVersion: result.currentVersion, waitedForLock: result.waitedForLock))
                return
            }
            for step in result.steps {
                print("applied \(step.version < 0 ? "R" : String(step.version)) \(step.name) (\(step.milliseconds) ms)")
            }
            let verb = result.steps.isEmpty ? "already up to date" : "up to date"
            print("\(verb): set '\(migrator.set.name)' at version \(result.currentVersion) on \(session.url.redacted)")
        }
    }

    struct UpReport: Encodable {
        let ok = true
        let set: String
        let applied: [MigrationStepJSON]
        let currentVersion: Int64
        let waitedForLock: Bool
    }
}
