import ArgumentParser
import TaskWarden

/// Where the rows a command deletes go besides away: `purge` and `delete`.
struct RowCopyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Move the rows into this table (created if missing), in the deleting transaction.", valueName: "name"))
    var archiveTable: String?

    @Option(help: ArgumentHelp("Append the rows as JSON Lines to this file, synced before their batch is deleted.", valueName: "file"))
    var export: String?

    func validate() throws {
        guard archiveTable == nil || export == nil else { throw ValidationError("give --archive-table or --export, not both") }
    }

    /// `--archive-table` as a checked name.
    func archive() throws -> SQLIdentifier? {
        try archiveTable.map { try SQLIdentifier($0) }
    }
}
