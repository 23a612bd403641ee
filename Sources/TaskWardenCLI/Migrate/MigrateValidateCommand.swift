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
            do {
                // Dirty before drift, as `migrate up` judges them; the error is the one line
                // on standard error and, with --json, `"ok": false` on standard output.
                try Migrator.checkApplicable(report)
            } catch {
                if !globals.json { print(StatusTable(report).text) }
                throw error
            }
            if globals.json {
                JSONOutput.print(StatusReportJSON(report))
            } else {
                print("valid: \(migrator.set.migrations.count) file(s) parse, applied migrations unchanged (\(report.pending.count) pending)")
            }
        }
    }
}
