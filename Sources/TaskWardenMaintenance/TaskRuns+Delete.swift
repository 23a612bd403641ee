import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// Which finished runs a delete selects: by id, kind and finished status, combined.
public struct DeleteFilter: Sendable {
    /// Run ids as text; checked against the id column's type before anything runs.
    public var ids: [String]
    public var kinds: [String]
    /// Finished statuses only (succeeded, failed, cancelled); empty: every finished status.
    public var statuses: [TaskStatus]

    public init(ids: [String] = [], kinds: [String] = [], statuses: [TaskStatus] = []) {
        self.ids = ids
        self.kinds = kinds
        self.statuses = statuses
    }
}

/// Where deleted rows go, as in a purge, and how the delete runs.
public struct DeleteOptions: Sendable {
    /// Move the rows into this table (created if missing) in the deleting transaction; `undo`
    /// of the batch puts them back from there.
    public var archiveTable: SQLIdentifier?
    /// Append the rows as JSON Lines to this file, synced before their batch commits; each row
    /// lands there exactly once, also when a delete is killed and run again.
    public var exportPath: String?
    public var bulk: BulkOptions

    public init(archiveTable: SQLIdentifier? = nil, exportPath: String? = nil, bulk: BulkOptions = BulkOptions()) {
        self.archiveTable = archiveTable
        self.exportPath = exportPath
        self.bulk = bulk
    }
}

/// A run named by id that a delete leaves in the table, and why.
public struct RefusedRun: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// No run has this id.
        case missing
        /// The run is queued or running (or in a status the mapping does not call finished):
        /// a delete never touches it. The table's value.
        case notFinished(status: String)
        /// Finished, but not of the kinds or statuses the delete selects.
        case notSelected(status: String)
    }

    public let id: String
    public let reason: Reason

    public init(id: String, reason: Reason) {
        self.id = id
        self.reason = reason
    }
}

/// What a delete would remove: the count, a sample, and the named runs it would leave.
public struct DeletePreview: Sendable {
    public let count: Int
    public let sample: [ResetCandidate]
    public let refused: [RefusedRun]
}

/// What a delete did: counts and a sample, however many runs it deleted.
public struct DeleteResult: Sendable {
    /// The runs deleted: counts and a sample read back from the journal.
    public let deleted: ChangedRuns
    /// Runs selected but left because they changed (were requeued, say) before their batch.
    public let skipped: Int
    /// Runs named by id and left in the table, with the reason.
    public let refused: [RefusedRun]
    public let batchID: String?
    /// ``BulkOptions/shouldStop`` stopped the delete between two batches: what it selected
    /// after them is still there, and a delete run again continues.
    public let stoppedEarly: Bool
}

extension TaskRuns {
    /// The finished statuses the table has: what a delete may take.
    private var deletableStatuses: [TaskStatus] { TaskStatus.allCases.filter { $0.isTerminal && !table.lacks($0) } }

    /// Counts the finished runs `filter` selects and returns the first `sampleSize` of them,
    /// with the runs named by id that a delete would leave. Changes nothing.
    ///
    /// Checks exactly as ``delete(_:reason:options:)`` does: a preview that succeeds is a
    /// delete that will not be refused.
    public func previewDelete(_ filter: DeleteFilter, reason: String, options: DeleteOptions = DeleteOptions(), sampleSize: Int = 10) throws -> DeletePreview {
        let selection = try checkDelete(filter, reason: reason, options: options)
        let now = try DatabaseClock.now(on: connection)
        return DeletePreview(
            count: try count(bulkFilter(selection)), sample: try candidates(selection, after: nil, limit: sampleSize, now: now),
            refused: try refusedRuns(selection))
    }

    /// Deletes the finished runs `filter` selects, never queued or running ones, walking the
    /// table in id order in batches of ``BulkOptions/batchSize``: each batch one short
    /// transaction in which set statements journal its runs (operation `delete`, one entry
    /// each, naming the archive table), copy them to the archive or the export, and delete
    /// them, each statement re-checking that the run is still finished. A run requeued since
    /// the preview stays, and is counted in ``DeleteResult/skipped``.
    public func delete(_ filter: DeleteFilter, reason: String, options: DeleteOptions = DeleteOptions()) throws -> DeleteResult {
        let selection = try checkDelete(filter, reason: reason, options: options)
        let refused = try refusedRuns(selection)
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        let export = try prepareRowCopies(archive: options.archiveTable, exportPath: options.exportPath)
        let change = BulkChange(
            filter: bulkFilter(selection), target: .succeeded, operation: .delete, reason: reason, note: "", batchID: batchID, now: now,
            deletion: BulkDeletion(archive: options.archiveTable, export: export))
        var tally = BulkTally()
        try walk(change, options: options.bulk, into: &tally)
        var deleted = tally.changed
        if !deleted.isEmpty { deleted.sample = try sample(ofBatch: batchID, limit: options.bulk.sampleSize) }
        return DeleteResult(
            deleted: deleted, skipped: max(0, tally.selected - deleted.count), refused: refused, batchID: deleted.isEmpty ? nil : batchID,
            stoppedEarly: tally.stopped)
    }

    /// The checks of a delete, for its preview and the delete alike: runs named, finished
    /// statuses only, the reset's checks of ids, kinds, the reason and the actor, and an export
    /// file that can be written.
    private func checkDelete(_ filter: DeleteFilter, reason: String, options: DeleteOptions) throws -> ResetSelection {
        guard !filter.ids.isEmpty || !filter.kinds.isEmpty || !filter.statuses.isEmpty else { throw MaintenanceError(.noRunsToDelete) }
        if let unfinished = filter.statuses.first(where: { !$0.isTerminal }) { throw MaintenanceError(.deleteUnfinished(unfinished)) }
        if let path = options.exportPath { try checkExportPath(path) }
        let statuses = filter.statuses.isEmpty ? deletableStatuses : filter.statuses
        return try checkReset(ResetFilter(statuses: statuses, kinds: filter.kinds, ids: filter.ids), reason: reason)
    }

    private func bulkFilter(_ selection: ResetSelection) -> BulkFilter {
        BulkFilter(
            from: selection.filter.statuses.flatMap(table.values), kinds: selection.filter.kinds.map(DatabaseValue.text),
            ids: selection.ids.isEmpty ? nil : selection.ids)
    }

    /// The runs named by id that the delete leaves, in the order given, each with why.
    private func refusedRuns(_ selection: ResetSelection) throws -> [RefusedRun] {
        guard !selection.ids.isEmpty else { return [] }
        var found: [String: (status: String, kind: String?)] = [:]
        for row in try connection.query(SQL.Runs.StatusesOf(ids: selection.ids), names: names()) {
            found[row.id.plainText] = (try row.decode(String.self, .status), try row.decode(String?.self, .kind))
        }
        let finished = Set(deletableStatuses.flatMap { table.statuses[$0] ?? [] })
        let selected = Set(selection.filter.statuses.flatMap { table.statuses[$0] ?? [] })
        var refused: [RefusedRun] = []
        var seen: Set<String> = []
        for id in selection.ids.map(\.plainText) where seen.insert(id).inserted {
            guard let run = found[id] else {
                refused.append(RefusedRun(id: id, reason: .missing))
                continue
            }
            if !finished.contains(run.status) {
                refused.append(RefusedRun(id: id, reason: .notFinished(status: run.status)))
            } else if !selected.contains(run.status) || (!selection.filter.kinds.isEmpty && !selection.filter.kinds.contains(run.kind ?? "")) {
                refused.append(RefusedRun(id: id, reason: .notSelected(status: run.status)))
            }
        }
        return refused
    }

    /// One batch's delete, after its journal: copies the runs to the archive or reads them for
    /// the export, deletes them (same predicate), and writes the export only once every count
    /// matches the journal's, so a batch rolled back for a race never reaches the file.
    func deleteJournaled(filter: BulkFilter, range: BulkRange, _ deletion: BulkDeletion, journaled: Int, names: [String: SQLIdentifier]) throws -> Int {
        var rows: [Row] = []
        if deletion.export != nil {
            let select = SQL.Bulk.SelectRows(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null)
            rows = try connection.query(select.taking(filter, in: range), names: names).map(\.raw)
        }
        if let archive = deletion.archive {
            var archiveNames = names
            archiveNames["archive"] = archive
            let copy = SQL.Bulk.Archive(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null)
            let archived = try connection.execute(copy.taking(filter, in: range), names: archiveNames)
            guard archived == journaled else { throw BulkJournalMismatch(table: table.name.description, journaled: journaled, changed: archived) }
        }
        let delete = SQL.Bulk.Delete(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null)
        let deleted = try connection.execute(delete.taking(filter, in: range), names: names)
        guard deleted == journaled, deletion.export == nil || rows.count == journaled else {
            throw BulkJournalMismatch(table: table.name.description, journaled: journaled, changed: deleted)
        }
        try deletion.export?.write(rows)
        return deleted
    }
}
