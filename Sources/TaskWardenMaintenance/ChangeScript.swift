import TaskWardenCore

/// What a change would run, as a script for the database's own client: what `--show-sql`
/// prints and a preview shows, with the header that says what it is.
package struct ChangeScript: Sendable {
    /// The CLI command whose statements these are (`reset`), as the header names it.
    package let command: String
    /// The statements, values written in.
    package let script: SQLScript
    /// Comment lines: the command, the table, the database, the moment, how to run it.
    package let header: [String]
    /// The client's settings the script starts with (`sql/script/preamble`).
    package let preamble: String

    package var statements: Int { script.statements.count }

    /// The script's text.
    package func text() -> String {
        script.text(header: header, preamble: preamble)
    }
}
