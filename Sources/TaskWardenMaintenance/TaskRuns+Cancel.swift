import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension TaskRuns {
    /// Asks queued and running runs to stop: sets `cancel_requested_at`, which workers see
    /// through `isCancelRequested`, and journals each request (operation `cancel`; the status
    /// is left to the worker, which finishes the run as cancelled).
    ///
    /// Walks the runs in id order in batches, each one short transaction whose set statements
    /// journal and mark its runs; runs already asked are left alone (and not journaled again).
    ///
    /// - Returns: the runs asked (counts and a sample, as journaled: old and new status are the
    ///   same), and the batch.
    public func requestCancel(
        ids: [String] = [], kinds: [String] = [], reason: String?, options: BulkOptions = BulkOptions()
    ) throws -> (changed: ChangedRuns, batchID: String?) {
        guard table.has(.cancelRequestedAt) else {
            throw MaintenanceError(.unmappedColumns([.cancelRequestedAt], table: table.name.description, purpose: .requestingCancel))
        }
        guard !ids.isEmpty || !kinds.isEmpty else { throw MaintenanceError(.noRunsNamed) }
        let selection = try checkReset(ResetFilter(statuses: [.queued, .running], kinds: kinds, ids: ids), reason: reason)
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        let filter = BulkFilter(
            from: table.values(.queued) + table.values(.running), kinds: kinds.map(DatabaseValue.text),
            ids: selection.ids.isEmpty ? nil : selection.ids, notCancelRequested: true)
        var tally = BulkTally()
        try walk(
            BulkChange(filter: filter, target: .cancelled, requestsCancel: true, operation: .cancel, reason: reason, note: "", batchID: batchID, now: now),
            options: options, into: &tally)
        var changed = tally.changed
        if !changed.isEmpty { changed.sample = try sample(ofBatch: batchID, limit: options.sampleSize) }
        return (changed, changed.isEmpty ? nil : batchID)
    }
}
