import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// Which runs `list` shows; every condition optional, all of them combined.
public struct RunListFilter: Sendable {
    public var statuses: [TaskStatus] = []
    public var kinds: [String] = []
    public var queue: String?
    public var worker: String?
    /// Started this long ago or later.
    public var since: Duration?
    /// Finished longer ago than this.
    public var finishedBefore: Duration?
    /// Running, and started longer ago than this.
    public var runningLongerThan: Duration?
    /// Keyset paging: only runs with an id below this one (the last id of the previous page),
    /// checked against the id column's type like every run id given to TaskWarden.
    public var beforeID: String?

    public init() {}
}

/// One run as `list` shows it.
public struct RunSummary: Sendable, Hashable {
    public let id: DatabaseValue
    public let status: TaskStatus?
    /// The value as stored.
    public let statusValue: String
    public let kind: String?
    public let queue: String?
    public let worker: String?
    public let startedAt: Timestamp?
    public let heartbeatAt: Timestamp?
    public let finishedAt: Timestamp?
    public let progress: Double?
    /// The first 200 characters of the error (else message) column.
    public let note: String?
}

extension TaskRuns {
    /// At most `limit` runs `filter` selects, newest (highest id) first.
    ///
    /// Walks the primary key backwards, or an index on the status where one is asked for; the
    /// next page passes the last id shown as ``RunListFilter/beforeID``, so a page deep in a
    /// table of millions reads no more than the first.
    public func list(_ filter: RunListFilter, limit: Int) throws -> [RunSummary] {
        guard limit >= 1 else { throw MaintenanceError(.batchSizeTooSmall(limit)) }
        if !filter.kinds.isEmpty && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        for (needed, column) in [(filter.queue != nil, TaskTable.Column.queue), (filter.worker != nil, .worker), (filter.finishedBefore != nil, .finishedAt)]
        where needed && !table.has(column) {
            throw MaintenanceError(.unmappedColumns([column], table: table.name.description, purpose: .listing))
        }
        for status in filter.statuses where table.lacks(status) { throw TaskTableError(.statusMissing(status, table: table.name.description)) }
        let before = try filter.beforeID.map { try runIDs([$0], declared: try declaredColumns())[0] }
        let now = try DatabaseClock.now(on: connection)
        func cutoff(_ age: Duration?) throws -> DatabaseValue { try age.map { table.times.encode(try now.cutoff(olderThan: $0)) } ?? .null }
        var statement = SQL.Runs.List(
            statuses: filter.statuses.flatMap(table.values), kinds: filter.kinds.map(DatabaseValue.text),
            queue: filter.queue.map(DatabaseValue.text) ?? .null, worker: filter.worker.map(DatabaseValue.text) ?? .null,
            beforeId: before ?? .null, since: try cutoff(filter.since), finishedBefore: try cutoff(filter.finishedBefore),
            runningStatuses: table.values(.running), startedBefore: try cutoff(filter.runningLongerThan), limit: .integer(Int64(limit)))
        statement.byStatus = !filter.statuses.isEmpty
        statement.byKind = !filter.kinds.isEmpty
        statement.byQueue = filter.queue != nil
        statement.byWorker = filter.worker != nil
        statement.before = filter.beforeID != nil
        statement.bySince = filter.since != nil
        statement.byFinished = filter.finishedBefore != nil
        statement.longRunning = filter.runningLongerThan != nil
        statement.sortMatches = try fewRunsOfKinds(filter.kinds)
        return try connection.query(statement, names: names()).map { row in
            let value = try row.decode(String.self, .status)
            return RunSummary(
                id: row.id, status: table.status(of: value), statusValue: value, kind: try row.decode(String?.self, .kind),
                queue: try row.decode(String?.self, .queue), worker: try row.decode(String?.self, .worker),
                startedAt: table.times.decode(row.startedAt), heartbeatAt: table.times.decode(row.heartbeatAt),
                finishedAt: table.times.decode(row.finishedAt), progress: Double.fromDatabaseValue(row.progress),
                note: try row.decode(String?.self, .note))
        }
    }

    /// Runs of these kinds at most that many are read through the kind index and sorted:
    /// ``fewRunsOfKinds(_:)``.
    static let sortedKindMatchesCap = 10_000

    /// Whether a list filtered by `kinds` should read their runs through the kind index and sort
    /// them: on SQLite, when fewer than ``sortedKindMatchesCap`` runs have them.
    ///
    /// SQLite plans a bound kind at its average count (a table's runs over its kinds), so it
    /// walks the primary key newest first until the page is full: at once for a common kind,
    /// through all of a 10 M-run table for a rare one (seconds). A count stopped at the cap
    /// (a bounded index read) tells the two apart. PostgreSQL and MySQL weigh the value itself.
    package func fewRunsOfKinds(_ kinds: [String]) throws -> Bool {
        guard dialect.backend == .sqlite, !kinds.isEmpty else { return false }
        let cap = Self.sortedKindMatchesCap
        let counted = try connection.query(SQL.Runs.KindCountCapped(kinds: kinds.map(DatabaseValue.text), cap: .integer(Int64(cap))), names: names())
            .first?.decode(Int.self, .n) ?? cap
        return counted < cap
    }
}
