import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden migrate down`: reverts applied migrations, newest first, after confirmation.
struct MigrateDownCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Revert applied migrations, newest first (asks first; --yes when there is no terminal).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Option(help: ArgumentHelp("Revert every migration above this version (0 for all).", valueName: "version"))
    var to: Int64?

    @Option(help: ArgumentHelp("Revert this many migrations.", valueName: "n"))
    var steps: Int?

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func validate() throws {
        guard (to == nil) != (steps == nil) else { throw ValidationError("give exactly one of --to VERSION and --steps N") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let to, to < 0 { throw ValidationError("--to must be 0 or more") }
    }

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: true) { session, migrator in
            let plan = try migrator.revertPlan(to: to, steps: steps)
            if !plan.isEmpty && !yes {
                let names = plan.map { "\($0.version) \($0.name)" }.joined(separator: ", ")
                try Confirmation.require(
                    "revert \(plan.count) migration(s) of set '\(migrator.set.name)' on \(session.url.redacted): \(names)")
            }
            let result = try migrator.down(to: to, steps: steps, expected: plan.map(\.version))
            if globals.json {
                JSONOutput.print(DownReport(set: migrator.set.name, reverted: result.steps.map(MigrationStepJSON.init), currentVersion: result.currentVersion))
                return
            }
            for step in result.steps {
                print("reverted \(step.version) \(step.name) (\(step.milliseconds) ms)")
            }
            print("set '\(migrator.set.name)' at version \(result.currentVersion)")
        }
    }

    struct DownReport: Encodable {
        let ok = true
        let set: String
        let reverted: [MigrationStepJSON]
        let currentVersion: Int64
    }
}
