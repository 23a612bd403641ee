import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

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
    func runIDs(_ ids: [String], declared: DeclaredColumns) throws(RunInputError) -> [DatabaseValue] {
        let type: RunIDType = declared.type(of: table.columns[.id])?.contains("int") == true ? .integer : .text
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

    /// The columns of `table` (this table unless given) and their declared types, as the
    /// database reports them.
    func declaredColumns(of table: TaskTable? = nil) throws -> DeclaredColumns {
        let declared = try TaskTable.declaredTypes(of: (table ?? self.table).name, on: connection)
        return DeclaredColumns(types: Dictionary(declared.map { ($0.name.lowercased(), $0.type) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Refuses a mapping whose text roles (the note, worker, kind, queue) name a time column:
    /// `message: finished_at` would have recover write its note over the finish time.
    ///
    /// The mapping itself refuses a column with two roles; this catches a time column the
    /// mapping does not name as one, by the type the database declares for it.
    func checkTextRoles(_ declared: DeclaredColumns) throws {
        for role in [TaskTable.Column.error, .message, .worker, .kind, .queue, .startToken] {
            guard let column = table.columns[role], let type = declared.type(of: column), type.contains("time") || type.contains("date") else { continue }
            throw MaintenanceError(.columnHoldsTimes(column: column.name, table: table.name.description, role: role, declaredType: type))
        }
        try checkTimeZone(of: table, declared: declared)
        if let parent = table.parent { try checkTimeZone(of: parent.table) }
    }

    /// Refuses a mapping's `time_zone` on a table whose time columns keep their own zone.
    ///
    /// PostgreSQL's `timestamp with time zone` and MySQL's `TIMESTAMP` store instants, read
    /// in the session's zone (UTC): reading them as wall-clock times of another zone would
    /// shift every age and cutoff by the zone's offset.
    /// Reads the declared types only when the mapping names a zone.
    func checkTimeZone(of table: TaskTable, declared: DeclaredColumns? = nil) throws {
        guard !table.times.zone.isUTC, table.times.storesWallClock else { return }
        let declared = try declared ?? declaredColumns(of: table)
        for (role, column) in table.columns.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role.holdsTime {
            guard let type = declared.type(of: column), DeclaredColumns.keepsZone(type, backend: dialect.backend) else { continue }
            throw MaintenanceError(.zoneForZonedColumn(column: column.name, table: table.name.description, declaredType: type, zone: table.times.zone.identifier))
        }
    }
}

/// The declared types of a table's columns, by lowercased name.
struct DeclaredColumns {
    let types: [String: String]

    /// Whether a lowercased declared type stores instants rather than wall-clock times.
    static func keepsZone(_ type: String, backend: DatabaseBackend) -> Bool {
        switch backend {
        case .postgresql: type.contains("with time zone")
        case .mysql: type.hasPrefix("timestamp")
        case .sqlite: false
        }
    }

    /// The lowercased declared type of `column`, if the database reported it.
    func type(of column: SQLIdentifier?) -> String? {
        column.flatMap { types[$0.name.lowercased()] }
    }
}
