import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// Everything about one run: its mapped columns, its age, whether it counts as stuck and why,
/// its parent, and every journal entry that touched it.
public struct RunDetail: Sendable {
    public let id: DatabaseValue
    public let statusValue: String
    public let status: TaskStatus?
    /// Each mapped role's value as stored, in the order of ``TaskTable/Column``, times decoded.
    public let values: [(role: TaskTable.Column, column: String, value: DatabaseValue)]
    public let startedAt: Timestamp?
    public let heartbeatAt: Timestamp?
    public let finishedAt: Timestamp?
    public let cancelRequestedAt: Timestamp?
    public let now: Timestamp
    /// How long it ran (finished) or has run so far.
    public let ranFor: Duration?
    /// For a running run: how long since its last sign of life (the heartbeat, else the start).
    public let silentFor: Duration?
    /// The stuck threshold for its kind.
    public let threshold: Duration
    /// The parent run's id and status value, where the table maps a parent.
    public let parent: (id: DatabaseValue, statusValue: String?)?
    /// Every journal entry of the run, oldest first; `nil` when the journal table does not
    /// exist (the database was never migrated).
    public let journal: [JournalEntry]?

    /// Running and silent past its threshold, the way `stuck` and `recover` judge it.
    public var isStuck: Bool { status == .running && (silentFor ?? .zero) > threshold }

    /// Why it counts as stuck or not, in one line.
    public var stuckVerdict: String {
        guard status == .running else { return "not running (\(statusValue)): never stuck" }
        guard let silentFor else { return "running with no start time: stuck detection cannot judge it" }
        return silentFor > threshold
            ? "stuck: silent for \(silentFor.ageText), past the \(threshold.compactText) threshold"
            : "not stuck: silent for \(silentFor.ageText), within the \(threshold.compactText) threshold"
    }
}

extension TaskRuns {
    func journalIfPresent(ofRun runID: String) throws -> [JournalEntry]? {
        do {
            return try journal(ofRun: runID, in: table)
        } catch let error as MaintenanceError where error.kind == .journalMissing {
            return nil
        }
    }

    /// The delete that removed run `id` (as given on the command line), when the journal's last
    /// entry for it is one: what `show` says of a run that is gone.
    public func deletion(ofRun text: String) throws -> JournalEntry? {
        let id = try runIDs([text], declared: try declaredColumns())[0]
        guard let last = try journalIfPresent(ofRun: id.plainText)?.last, last.operation == .delete else { return nil }
        return last
    }

    /// The run `id` (as given on the command line; checked against the id column's type).
    ///
    /// - Returns: `nil` when no run has that id.
    public func show(id text: String, policy: StuckPolicy = StuckPolicy()) throws -> RunDetail? {
        let declared = try declaredColumns()
        let id = try runIDs([text], declared: declared)[0]
        let now = try DatabaseClock.now(on: connection)
        var statement = SQL.Runs.Show(id: id)
        statement.withParent = table.parent != nil
        guard let row = try connection.query(statement, names: names()).first else { return nil }
        let raw = row.raw
        var values: [(TaskTable.Column, String, DatabaseValue)] = []
        // Every role show.sql reads (all but the start token, a worker's internal claim).
        for role in TaskTable.Column.allCases where role != .startToken {
            guard let column = table.columns[role], let value = raw[role.rawValue] else { continue }
            values.append((role, column.name, value))
        }
        let statusValue = try row.decode(String.self, .status)
        let status = table.status(of: statusValue)
        let started = table.times.decode(row.startedAt)
        let heartbeat = table.times.decode(row.heartbeatAt)
        let finished = table.times.decode(row.finishedAt)
        func since(_ time: Timestamp?, until end: Timestamp) -> Duration? {
            time.map { .microseconds(end.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) }
        }
        var parent: (DatabaseValue, String?)?
        if let parentTable = table.parent?.table, row.parentKey != .null {
            let parentRow = try connection.query(SQL.Runs.Show(id: row.parentKey), names: names(for: parentTable)).first
            parent = (row.parentKey, try parentRow?.decode(String.self, .status))
        }
        let kind = try row.decode(String?.self, .kind)
        return RunDetail(
            id: row.id, statusValue: statusValue, status: status, values: values, startedAt: started, heartbeatAt: heartbeat,
            finishedAt: finished, cancelRequestedAt: table.times.decode(row.cancelRequestedAt), now: now,
            ranFor: since(started, until: status == .running ? now : finished ?? now),
            silentFor: status == .running ? since(heartbeat ?? started, until: now) : nil,
            threshold: policy.threshold(forKind: kind), parent: parent,
            journal: try journalIfPresent(ofRun: row.id.plainText))
    }
}
