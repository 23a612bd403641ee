import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// Which runs an emergency reset selects.
public struct ResetFilter: Sendable {
    public var statuses: [TaskStatus]
    public var kinds: [String] = []
    /// Run ids as text; checked against the id column's type before anything runs (an
    /// integer column takes only integers, see ``RunInputError``).
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

/// What a reset did: counts, a sample and the batch, however many runs it changed.
public struct ResetResult: Sendable {
    /// The runs changed, parents included: counts and a sample.
    public let changed: ChangedRuns
    /// Runs selected but left alone because they changed before their batch took them.
    public let skipped: Int
    public let batchID: String?
}

/// A reset's selection after its checks, with its run ids typed: what the preview and the
/// reset both run on, so that a dry run fails exactly where the real one would.
struct ResetSelection {
    var filter: ResetFilter
    var ids: [DatabaseValue]
}

extension TaskRuns {
    /// Counts the runs `filter` selects and returns the first `sampleSize` of them. Changes nothing.
    ///
    /// Checks the filter and `reason` exactly as ``reset(_:to:reason:)`` does: a preview that
    /// succeeds is a reset that will not be refused.
    public func previewReset(_ filter: ResetFilter, reason: String, sampleSize: Int = 10) throws -> ResetPreview {
        let selection = try checkReset(filter, reason: reason)
        let now = try DatabaseClock.now(on: connection)
        let filter = try resetFilter(selection, now: now)
        let count = try connection.query(
            SQL.Runs.CountMatching(
                statuses: filter.statuses, kinds: filter.kinds, ids: filter.ids, cutoff: filter.cutoff, byKind: filter.byKind,
                byId: filter.byID, byAge: filter.byAge),
            names: names()
        ).first?.decode(Int.self, .n) ?? 0
        let sample = try candidates(selection, after: nil, limit: sampleSize, now: now)
        return ResetPreview(count: count, sample: sample)
    }

    /// Moves every run `filter` selects to `target`, walking the table in id order in batches
    /// of ``BulkOptions/batchSize``: each batch one short transaction in which set statements
    /// journal its runs (one entry each) and change them, re-checking the status (and the age)
    /// in the statement. Memory stays flat in the number of runs: the result holds counts and a
    /// sample, and the journal holds the full list.
    public func reset(_ filter: ResetFilter, to target: TaskStatus, reason: String, options: BulkOptions = BulkOptions()) throws -> ResetResult {
        let selection = try checkReset(filter, reason: reason)
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        let statementFilter = try resetFilter(selection, now: now)
        let change = BulkChange(
            filter: BulkFilter(
                from: statementFilter.statuses, kinds: statementFilter.kinds, ids: statementFilter.byID ? statementFilter.ids : nil,
                cutoff: statementFilter.byAge ? .some(statementFilter.cutoff) : .none),
            target: target, operation: .reset, reason: reason,
            note: "reset to \(target.rawValue) by taskwarden at \(now): \(reason)", batchID: batchID, now: now)
        var tally = BulkTally()
        try walk(change, options: options, into: &tally)
        var changed = tally.changed
        if !changed.isEmpty { changed.sample = try sample(ofBatch: batchID, limit: options.sampleSize) }
        return ResetResult(
            changed: changed, skipped: max(0, tally.selected - changed.count(in: table.name.description)),
            batchID: changed.isEmpty ? nil : batchID)
    }

    /// The checks of a reset (and of a cancel, which selects the same way): statuses given,
    /// the columns the filter needs mapped, the journal's limits, text roles on text columns,
    /// ids of the id column's type.
    func checkReset(_ filter: ResetFilter, reason: String?) throws -> ResetSelection {
        guard !filter.statuses.isEmpty else { throw MaintenanceError(.noStatusesToReset) }
        for status in filter.statuses where table.lacks(status) {
            throw TaskTableError(.statusMissing(status, table: table.name.description))
        }
        if !filter.kinds.isEmpty && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        try checkJournalInput(reason: reason)
        let declared = try declaredColumns()
        try checkTextRoles(declared)
        return ResetSelection(filter: filter, ids: try runIDs(filter.ids, declared: declared))
    }

    func candidates(_ selection: ResetSelection, after: DatabaseValue?, limit: Int, now: Timestamp) throws -> [ResetCandidate] {
        let filter = try resetFilter(selection, now: now)
        let statement = SQL.Runs.SelectMatching(
            statuses: filter.statuses, kinds: filter.kinds, ids: filter.ids, cutoff: filter.cutoff, afterId: after ?? .null,
            limit: .integer(Int64(limit)), byKind: filter.byKind, byId: filter.byID, byAge: filter.byAge, after: after != nil)
        return try connection.query(statement, names: names()).map { row in
            ResetCandidate(
                id: row.id, status: try row.decode(String.self, .status), kind: try row.decode(String?.self, .kind),
                startedAt: table.times.decode(row.startedAt), heartbeatAt: table.times.decode(row.heartbeatAt))
        }
    }

    /// The filter of a reset as the selecting statements take it: each condition's values,
    /// and whether it applies.
    private struct ResetStatementFilter {
        var statuses: [DatabaseValue]
        var kinds: [DatabaseValue]
        var ids: [DatabaseValue]
        var cutoff: DatabaseValue
        var byKind: Bool { !kinds.isEmpty }
        var byID: Bool { !ids.isEmpty }
        var byAge: Bool
    }

    private func resetFilter(_ selection: ResetSelection, now: Timestamp) throws(TimestampRangeError) -> ResetStatementFilter {
        let filter = selection.filter
        let cutoff = try filter.olderThan.map { olderThan throws(TimestampRangeError) in
            table.times.encode(try now.cutoff(olderThan: olderThan))
        }
        return ResetStatementFilter(
            statuses: filter.statuses.flatMap(table.values), kinds: filter.kinds.map(DatabaseValue.text), ids: selection.ids,
            cutoff: cutoff ?? .null, byAge: cutoff != nil)
    }
}
