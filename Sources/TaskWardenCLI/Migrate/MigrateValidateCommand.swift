import ArgumentParser
import TaskWarden

/// `taskwarden migrate validate`: files parse, and applied migrations are unchanged.
struct MigrateValidateCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the files parse and applied migrations are unchanged (exit 5 drift, 6 dirty).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    func run() throws {
        try migration.withMigrator(globals) { session, migrator in
            let report = try migrator.status()
            let problems = report.dirty + report.drift
            if globals.json {
                JSONOutput.print(StatusReportJSON(report))
            } else if problems.isEmpty {
                print("valid: \(migrator.set.migrations.count) file(s) parse, applied migrations unchanged (\(report.pending.count) pending)")
            } else {
                print(StatusTable(report).text)
            }
            if !report.dirty.isEmpty { throw ExitCode(ExitStatus.dirty.code) }
            if !report.drift.isEmpty { throw ExitCode(ExitStatus.validationFailed.code) }
        }
    }
}
