import TaskWardenCore
import TaskWardenSQL

/// The sizes of the journal's columns (`migrations/*/0002_create_task_run_events.sql`), which
/// every change writes: input longer than these is refused before anything runs.
public enum JournalLimits {
    /// `actor VARCHAR(200)`, in characters (PostgreSQL and MySQL count code points).
    public static let actorCharacters = 200
    /// `run_id VARCHAR(100)`, in characters.
    public static let runIDCharacters = 100
    /// `reason TEXT` holds 65 535 bytes on MySQL; the reason is also written into the run's
    /// note after a prefix of under 1 KiB (`reset to failed by taskwarden at ...: `), which must
    /// fit a `TEXT` note column too.
    public static let reasonBytes = 65_535 - 1_024
}

/// How the id column stores run ids.
enum RunIDType {
    case integer
    case text
}

extension TaskRuns {
    /// Checks what every change journals (the actor, and `reason`) against the journal's limits.
    ///
    /// Shared by the real and the dry run of every command, so that a dry run fails exactly
    /// where the real run would.
    func checkJournalInput(reason: String?) throws(RunInputError) {
        let actorLength = actor.unicodeScalars.count
        if actorLength > JournalLimits.actorCharacters {
            throw RunInputError(.actorTooLong(length: actorLength, limit: JournalLimits.actorCharacters))
        }
        if let reason, reason.utf8.count > JournalLimits.reasonBytes {
            throw RunInputError(.reasonTooLong(bytes: reason.utf8.count, limit: JournalLimits.reasonBytes))
        }
    }

    /// `ids` as values of the id column's type, or an error naming the first that is not one.
    ///
    /// An integer column takes only canonical decimal integers (`42`, `-1`; not `042`, `+42`,
    /// `4 2`, `2,3`): MySQL would otherwise cast `'2,3'` or `'1abc'` to another run's id, and
    /// PostgreSQL would fail mid-command. Text ids stay text.
    func runIDs(_ ids: [String]) throws -> [DatabaseValue] {
        guard !ids.isEmpty else { return [] }
        let type = try idType()
        return try ids.map { text throws(RunInputError) in
            try Self.runID(text, type: type, table: table.name.description)
        }
    }

    /// One id as a value of the id column's `type`.
    static func runID(_ text: String, type: RunIDType, table: String) throws(RunInputError) -> DatabaseValue {
        if text.unicodeScalars.count > JournalLimits.runIDCharacters {
            throw RunInputError(.runIDTooLong(text, limit: JournalLimits.runIDCharacters))
        }
        switch type {
        case .text:
            return .text(text)
        case .integer:
            guard let value = Int64(text), String(value) == text else { throw RunInputError(.malformedRunID(text, table: table)) }
            return .integer(value)
        }
    }

    /// The id column's type, as the database declares it; text when it is not an integer type.
    func idType() throws -> RunIDType {
        guard let id = table.columns[.id] else { return .text }
        let name = table.name
        let values: [String: DatabaseValue] = [
            "quoted_table_name": .text(dialect.quote(name)), "table_name": .text(name.name),
            "schema_name": name.parts.count > 1 ? .text(name.parts[0]) : .null,
            "column_name": .text(id.name),
        ]
        let declared = try connection.query(EmbeddedSQL.template("runs/id_type", for: dialect), values).first?.decode(String?.self, "data_type") ?? nil
        return declared.map { $0.lowercased().contains("int") } == true ? .integer : .text
    }
}
