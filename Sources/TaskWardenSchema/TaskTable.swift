import TaskWardenCore

/// Where runs live: a table, its columns, and the words it uses for each status.
///
/// ``TaskTable/taskRuns`` is TaskWarden's own table. A team's existing table is described by a
/// mapping (see ``TaskWardenConfiguration``): every name is a validated ``SQLIdentifier``, so
/// nothing from a configuration file reaches SQL unquoted.
public struct TaskTable: Sendable {
    /// The columns TaskWarden knows how to use. Only `id`, `status` and `started_at` are required.
    public enum Column: String, Sendable, Hashable, CaseIterable, Codable {
        case id, status, kind, queue
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
        case finishedAt = "finished_at"
        case createdAt = "created_at"
        case cancelRequestedAt = "cancel_requested_at"
        case error, message, worker, attempt, progress
        /// The run's log or output, which `show` prints the tail of.
        case log
        case maxAttempts = "max_attempts"
        /// A token unique to each call of `RunLifecycle.start`, written with the running status.
        case startToken = "start_token"

        /// Columns that hold time, read and written in the table's ``TimeFormat``.
        public var holdsTime: Bool {
            switch self {
            case .startedAt, .heartbeatAt, .finishedAt, .createdAt, .cancelRequestedAt: true
            default: false
            }
        }

        public static let required: [Column] = [.id, .status, .startedAt]
        /// The roles a mapping always names, defaulting to columns of their own name.
        public static let alwaysNamed: [Column] = [.id, .status]
    }

    public let name: SQLIdentifier
    public let columns: [Column: SQLIdentifier]
    /// The table's own values for each status it has; the first is the one TaskWarden writes.
    public let statuses: [TaskStatus: [String]]
    /// Statuses the application never uses (`tender_runs` has no cancelled): never written,
    /// never matched.
    public let missingStatuses: Set<TaskStatus>
    /// Further columns set when TaskWarden moves a run to a status (see ``ColumnWrite``).
    public let writes: [TaskStatus: [ColumnWrite]]
    /// How the table's time columns store instants: format and zone.
    public let times: TimeCoding
    public var timeFormat: TimeFormat { times.format }
    /// A table whose status follows this one's (a Django `Task` over its `TaskExecution`s).
    public let parent: ParentTable?
    /// Whether roles the mapping leaves out take the table's column of TaskWarden's own name,
    /// where it has one (see ``fillingColumnsByName(on:)``).
    public let fillsColumnsByName: Bool
    /// The roles this table must map (fewer for a parent table).
    public let requiredColumns: [Column]

    public init(
        name: SQLIdentifier, columns: [Column: SQLIdentifier], statuses: [TaskStatus: [String]] = [:],
        missingStatuses: Set<TaskStatus> = [], writes: [TaskStatus: [ColumnWrite]] = [:], timeFormat: TimeFormat = .native, timeZone: MappedTimeZone = .utc,
        parent: ParentTable? = nil, fillsColumnsByName: Bool = false, requiring required: [Column] = Column.required
    ) throws(TaskTableError) {
        // A table filled by name is checked for the rest once filled.
        for column in required where columns[column] == nil && !(fillsColumnsByName && !Column.alwaysNamed.contains(column)) {
            throw TaskTableError(.missingColumn(column, table: name.description))
        }
        try Self.checkOneRolePerColumn(name: name, columns: columns, parentKey: parent?.key)
        try Self.checkWrites(writes, name: name, columns: columns, parentKey: parent?.key)
        var filled: [TaskStatus: [String]] = [:]
        var seen: [String: TaskStatus] = [:]
        for status in missingStatuses.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard Self.statusesThatMayBeMissing.contains(status) else {
                throw TaskTableError(.statusRequired(status, table: name.description))
            }
            if statuses[status] != nil { throw TaskTableError(.statusMappedAndMissing(status, table: name.description)) }
        }
        for status in TaskStatus.allCases where !missingStatuses.contains(status) {
            let values = statuses[status] ?? [status.rawValue]
            guard !values.isEmpty else { throw TaskTableError(.statusWithoutValue(status, table: name.description)) }
            for value in values {
                if let other = seen[value], other != status {
                    throw TaskTableError(.valueOfTwoStatuses(value, table: name.description, other, status))
                }
                seen[value] = status
            }
            filled[status] = values
        }
        self.name = name
        self.columns = columns
        self.statuses = filled
        self.missingStatuses = missingStatuses
        self.writes = writes
        self.times = TimeCoding(format: timeFormat, zone: timeZone)
        self.parent = parent
        self.fillsColumnsByName = fillsColumnsByName
        self.requiredColumns = required
    }

    /// Refuses a mapping in which one column has two roles (`error: state` beside `status:
    /// state`, `message: finished_at` beside `finished_at: finished_at`), or holds the parent key
    /// as well as a role.
    ///
    /// Every role is written on its own terms: `recover` writes its note into the note column
    /// and `undo` restores the status from the journal, so a column with two roles gets the
    /// note in the status (or a finish time overwritten by text) and cannot be put back. Names
    /// are compared without case, as MySQL and SQLite compare column names.
    ///
    /// The one pair allowed is `started_at` with `finished_at`, for a table that keeps a single
    /// time (Celery's `celery_taskmeta.date_done`): see ``startSharesFinish``.
    private static func checkOneRolePerColumn(name: SQLIdentifier, columns: [Column: SQLIdentifier], parentKey: SQLIdentifier?) throws(TaskTableError) {
        var roles: [String: String] = [:]
        var named = columns.map { ($0.key.rawValue, $0.value) }.sorted { $0.0 < $1.0 }
        if let parentKey { named.append(("parent.key", parentKey)) }
        for (role, column) in named {
            let key = column.name.lowercased()
            if let other = roles[key], !(other == Column.finishedAt.rawValue && role == Column.startedAt.rawValue) {
                throw TaskTableError(.columnWithTwoRoles(column.name, table: name.description, other, role))
            }
            roles[key] = role
        }
    }

    /// Refuses a `set_on` column that has a role (TaskWarden writes those itself, and undo
    /// restores them from their own keys), or one set twice for one status.
    private static func checkWrites(
        _ writes: [TaskStatus: [ColumnWrite]], name: SQLIdentifier, columns: [Column: SQLIdentifier], parentKey: SQLIdentifier?
    ) throws(TaskTableError) {
        let roles = Set(columns.values.map { $0.name.lowercased() } + (parentKey.map { [$0.name.lowercased()] } ?? []))
        var binary: [String: Bool] = [:]
        for (status, list) in writes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            var seen: Set<String> = []
            for write in list {
                let key = write.column.name.lowercased()
                guard !roles.contains(key) else { throw TaskTableError(.writtenColumnHasRole(write.column.name, table: name.description)) }
                guard seen.insert(key).inserted else { throw TaskTableError(.writtenTwice(write.column.name, table: name.description, status)) }
                guard binary.updateValue(write.encoding.isBinary, forKey: key) ?? write.encoding.isBinary == write.encoding.isBinary else {
                    throw TaskTableError(.writtenInTwoForms(write.column.name, table: name.description))
                }
            }
        }
    }

    /// The columns any status sets, once each: what `undo` restores besides the roles.
    public var writtenColumns: [ColumnWrite] {
        var seen: Set<String> = []
        return writes.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { writes[$0]! }.filter { seen.insert($0.column.name.lowercased()).inserted }
    }

    /// TaskWarden's own `task_runs`, as its migrations create it.
    public static let taskRuns: TaskTable = {
        var columns: [Column: SQLIdentifier] = [:]
        // Every role but the log: task_runs keeps no log.
        for column in Column.allCases where column != .log {
            columns[column] = try! SQLIdentifier(column.rawValue)
        }
        return try! TaskTable(name: SQLIdentifier("task_runs"), columns: columns)
    }()

    /// Statuses a mapping may declare missing: every table has running and succeeded runs, and
    /// stuck detection and purges need them.
    public static let statusesThatMayBeMissing: Set<TaskStatus> = [.queued, .failed, .cancelled]

    /// The table's values for `status`, for `IN (...)` lists; none for a missing status.
    public func values(_ status: TaskStatus) -> [DatabaseValue] {
        (statuses[status] ?? []).map(DatabaseValue.text)
    }

    /// Whether the application never uses `status` (see ``missingStatuses``).
    public func lacks(_ status: TaskStatus) -> Bool { missingStatuses.contains(status) }

    /// The value TaskWarden writes for `status`. Commands check ``checkWritable(_:)`` first.
    public func written(_ status: TaskStatus) -> String {
        statuses[status]?.first ?? status.rawValue
    }

    /// Refuses to write a status the table (or its parent) lacks: a value the application
    /// never uses would confuse it, and the parent table of a Django model may reject it.
    public func checkWritable(_ status: TaskStatus) throws(TaskTableError) {
        if lacks(status) { throw TaskTableError(.statusMissing(status, table: name.description)) }
        try parent?.table.checkWritable(status)
    }

    /// Which status a stored value means, if any.
    public func status(of value: String) -> TaskStatus? {
        statuses.first { $0.value.contains(value) }?.key
    }

    public func has(_ column: Column) -> Bool { columns[column] != nil }

    /// Whether `started_at` and `finished_at` name one column, a table's only time (Celery's
    /// `celery_taskmeta.date_done`: empty while a task runs, its finish once done). TaskWarden
    /// then writes that column only as the finish: a requeue does not clear it, and undo
    /// restores it once, from the journal's `finished_at`.
    public var startSharesFinish: Bool {
        guard let start = columns[.startedAt], let finish = columns[.finishedAt] else { return false }
        return start.name.lowercased() == finish.name.lowercased()
    }

    /// The column where TaskWarden writes why it changed a run: `error`, else `message`.
    public var noteColumn: Column? {
        has(.error) ? .error : has(.message) ? .message : nil
    }

    /// The names SQL templates use: `table` and each mapped column by its TaskWarden name.
    public var identifiers: [String: SQLIdentifier] {
        var names = ["table": name]
        for (column, identifier) in columns { names[column.rawValue] = identifier }
        if let note = noteColumn, let identifier = columns[note] { names["note"] = identifier }
        return names
    }
}

/// A table whose status follows the task table's, linked by a column of the task table.
///
/// A class because a ``TaskTable`` holds its parent, and a value type cannot contain itself.
public final class ParentTable: Sendable {
    public let table: TaskTable
    /// The column of the *child* table that holds the parent's id.
    public let key: SQLIdentifier

    public init(table: TaskTable, key: SQLIdentifier) {
        self.table = table
        self.key = key
    }
}

/// A table mapping that cannot work.
public struct TaskTableError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A column every operation needs (`id`, `status`, `started_at`) is not mapped.
        case missingColumn(TaskTable.Column, table: String)
        /// A status is mapped to an empty list of values.
        case statusWithoutValue(TaskStatus, table: String)
        /// One stored value is mapped to two statuses.
        case valueOfTwoStatuses(String, table: String, TaskStatus, TaskStatus)
        /// One column is mapped to two roles (role names as the mapping spells them).
        case columnWithTwoRoles(String, table: String, String, String)
        /// A time zone the system's zone database does not know, or an abbreviation.
        case unknownTimeZone(String)
        /// A status that cannot be declared missing (running, succeeded).
        case statusRequired(TaskStatus, table: String)
        /// A status both given values and declared missing.
        case statusMappedAndMissing(TaskStatus, table: String)
        /// An operation would write a status the table declares missing.
        case statusMissing(TaskStatus, table: String)
        /// The mapping names a column the table does not have; `key` is where, in the
        /// mapping (`columns.finished_at`, `parent.key`, `set_on.failed.result`).
        case unknownColumn(String, key: String, table: String)
        /// A `set_on` column that is also mapped to a role.
        case writtenColumnHasRole(String, table: String)
        /// A `set_on` column given twice for one status.
        case writtenTwice(String, table: String, TaskStatus)
        /// A `set_on` column written as text on one status and as bytes on another (undo keeps
        /// one journal form per column).
        case writtenInTwoForms(String, table: String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .missingColumn(let column, let table):
            "table \(table) must map the '\(column.rawValue)' column"
        case .statusWithoutValue(let status, let table):
            "status '\(status.rawValue)' of table \(table) maps to no value"
        case .valueOfTwoStatuses(let value, let table, let first, let second):
            "value '\(value)' of table \(table) maps to both '\(first.rawValue)' and '\(second.rawValue)'"
        case .columnWithTwoRoles(let column, let table, let first, let second):
            "column \(column) of table \(table) is mapped as both '\(first)' and '\(second)': each role needs a column of its own"
        case .statusRequired(let status, let table):
            "table \(table) cannot lack the '\(status.rawValue)' status: only queued, failed and cancelled may be missing"
        case .statusMappedAndMissing(let status, let table):
            "status '\(status.rawValue)' of table \(table) is both mapped to values and listed as missing"
        case .statusMissing(let status, let table):
            "table \(table) has no '\(status.rawValue)' status (its mapping lists it as missing), so TaskWarden will not write or match it"
        case .unknownColumn(let column, let key, let table):
            "\(key): table \(table) has no column \(column)"
        case .writtenColumnHasRole(let column, let table):
            "column \(column) of table \(table) is mapped to a role, which TaskWarden writes itself: set_on cannot set it too"
        case .writtenTwice(let column, let table, let status):
            "column \(column) of table \(table) is set twice on '\(status.rawValue)'"
        case .writtenInTwoForms(let column, let table):
            "column \(column) of table \(table) is set as text on one status and as bytes on another: give every set_on of it a binary encoding, or none"
        case .unknownTimeZone(let name):
            "unknown time zone '\(name)': use an IANA name such as Europe/Berlin or America/New_York, or utc"
        }
    }
}
