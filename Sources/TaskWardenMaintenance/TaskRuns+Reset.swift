import TaskWardenCore

/// Which runs an emergency reset selects.
public struct ResetFilter: Sendable {
    public var statuses: [TaskStatus]
    public var kinds: [String] = []
    /// Run ids as text; the database converts them to the id column's type.
    public var ids: [String] = []
    /// Only runs whose last sign of life (heartbeat, else start) is older than this.
    public var olderThan: Duration?

    public init(statuses: [TaskStatus], kinds: [String] = [], ids: [String] = [], olderThan: Duration? = nil) {
        self.statuses = statuses
        self.kinds = kinds
        self.ids = ids
        self.olderThan = olderThan
    }
}

/// What a reset would change: the count and a sample, to confirm before changing anything.
public struct ResetPreview: Sendable {
    public let count: Int
    public let sample: [ResetCandidate]
}

/// A run a reset selects.
public struct ResetCandidate: Sendable, Hashable {
    public let id: DatabaseValue
    public let status: String
    public let kind: String?
    public let startedAt: Timestamp?
    public let heartbeatAt: Timestamp?
}

/// What a reset did.
public struct ResetResult: Sendable {
    public let changed: [ChangedRun]
    /// Runs selected but left alone because they changed meanwhile.
    public let skipped: Int
    public let batchID: String?
}

extension TaskRuns {
    /// Counts the runs `filter` selects and returns the first `sampleSize` of them. Changes nothing.
    public func previewReset(_ filter: ResetFilter, sampleSize: Int = 10) throws -> ResetPreview {
        let now = try DatabaseClock.now(on: connection)
        let (flags, values, lists) = try resetArguments(filter, now: now)
        let count = try connection.query(try template("runs/count_matching", flags: flags), values, lists: lists)
            .first?.decode(Int.self, "n") ?? 0
        let sample = try candidates(filter, after: nil, limit: sampleSize, now: now)
        return ResetPreview(count: count, sample: sample)
    }

    /// Moves every run `filter` selects to `target`, in batches of ``changeBatchSize`` that
    /// each commit with their journal entries, walking the table in id order.
    public func reset(_ filter: ResetFilter, to target: TaskStatus, reason: String) throws -> ResetResult {
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        let note = "reset to \(target.rawValue) by taskwarden at \(now): \(reason)"
        var changed: [ChangedRun] = []
        var selected = 0
        var after: DatabaseValue?
        while true {
            let batch = try candidates(filter, after: after, limit: Self.changeBatchSize, now: now)
            guard let last = batch.last else { break }
            selected += batch.count
            changed += try apply(
                StatusChange(
                    ids: batch.map(\.id), from: filter.statuses.flatMap(table.values),
                    cutoff: try filter.olderThan.map { olderThan throws(TimestampRangeError) in try now.cutoff(olderThan: olderThan) }, target: target,
                    operation: "reset", reason: reason, note: note, batchID: batchID, now: now))
            after = last.id
            if batch.count < Self.changeBatchSize { break }
        }
        let own = changed.filter { $0.table == table.name.description }.count
        return ResetResult(changed: changed, skipped: selected - own, batchID: changed.isEmpty ? nil : batchID)
    }

    func candidates(_ filter: ResetFilter, after: DatabaseValue?, limit: Int, now: Timestamp) throws -> [ResetCandidate] {
        var (flags, values, lists) = try resetArguments(filter, now: now)
        values["limit"] = .integer(Int64(limit))
        if let after {
            flags.insert("after")
            values["after_id"] = after
        }
        return try connection.query(try template("runs/select_matching", flags: flags), values, lists: lists).map { row in
            ResetCandidate(
                id: row["id"] ?? .null, status: try row.decode(String.self, "status"), kind: try row.decode(String?.self, "kind"),
                startedAt: table.timeFormat.decode(row["started_at"] ?? .null),
                heartbeatAt: table.timeFormat.decode(row["heartbeat_at"] ?? .null))
        }
    }

    private func resetArguments(_ filter: ResetFilter, now: Timestamp) throws -> (Set<String>, [String: DatabaseValue], [String: [DatabaseValue]]) {
        guard !filter.statuses.isEmpty else { throw TaskTableError("a reset needs at least one --status") }
        var flags: Set<String> = []
        var values: [String: DatabaseValue] = [:]
        var lists: [String: [DatabaseValue]] = ["statuses": filter.statuses.flatMap(table.values)]
        if !filter.kinds.isEmpty {
            guard table.has(.kind) else { throw TaskTableError("table \(table.name) maps no 'kind' column, so --kind cannot filter it") }
            flags.insert("by_kind")
            lists["kinds"] = filter.kinds.map(DatabaseValue.text)
        }
        if !filter.ids.isEmpty {
            flags.insert("by_id")
            lists["ids"] = filter.ids.map(DatabaseValue.text)
        }
        if let olderThan = filter.olderThan {
            flags.insert("by_age")
            values["cutoff"] = table.timeFormat.encode(try now.cutoff(olderThan: olderThan))
        }
        return (flags, values, lists)
    }
}
