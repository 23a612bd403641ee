import TaskWardenCore

/// What a change would run, as a script for the database's own client: what `--show-sql`
/// prints and a preview shows, with the header that says what it is.
package struct ChangeScript: Sendable {
    /// The CLI command whose statements these are (`reset`): what the header and the end name.
    package let command: String
    /// The statements, values written in.
    package let script: SQLScript
    /// Comment lines: the command, the table, the database, the moment, how to run it.
    package let header: [String]
    /// The client's settings the script starts with (`sql/script/preamble`).
    package let preamble: String

    package var statements: Int { script.statements.count }

    /// The script's text, ending, when `moreBatches` is not 0, with a comment saying that the
    /// change takes that many batches more than the script shows (a preview's script stops
    /// after the change's first batches), and which command prints them all.
    package func text(moreBatches: Int = 0) -> String {
        let end =
            moreBatches > 0
            ? ["… and \(moreBatches) more batch\(moreBatches == 1 ? "" : "es") like these: 'taskwarden \(command) --show-sql' prints them all."] : []
        return script.text(header: header, preamble: preamble, footer: end)
    }
}
