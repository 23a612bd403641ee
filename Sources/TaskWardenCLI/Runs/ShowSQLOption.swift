import ArgumentParser
import Foundation
import TaskWarden

/// `--show-sql`: print the statements a change would run, as a script for the database's own
/// client, and change nothing.
///
/// The script is what a DBA reviews before the change, or runs with `psql`, `mariadb` or
/// `sqlite3` where the tool cannot be installed: same statements, same batches, the values the
/// tool would bind written in as literals.
struct ShowSQLOption: ParsableArguments {
    @Flag(
        name: .customLong("show-sql"),
        help: "Print the statements this would run, values written in, as a script for psql, mariadb or sqlite3; change nothing.")
    var enabled = false

    /// Refuses `--dry-run` with `--show-sql` (each changes nothing, and together they would show
    /// nothing), and `--export`, whose file no SQL script can write.
    func validate(dryRun: Bool, export: String? = nil) throws {
        guard enabled else { return }
        if dryRun { throw ValidationError("give --show-sql or --dry-run, not both: --show-sql already changes nothing") }
        if export != nil { throw ValidationError("--export writes a file, which no SQL script can: use --archive-table with --show-sql") }
    }

    /// Prints the script of what `body` would change on `runs`, all of it.
    func print(_ runs: TaskRuns, session: DatabaseSession, command: String, json: Bool, _ body: (TaskRuns) throws -> Void) throws {
        let script = try runs.script(command, database: session.url, body)
        let text = script.text()
        if json {
            JSONOutput.print(ScriptJSON(statements: script.statements, script: text))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    struct ScriptJSON: Encodable {
        let ok = true
        let statements: Int
        let script: String
    }
}
