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
        let filter = try cancelFilter(ids: ids, kinds: kinds, reason: reason).filter
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        var tally = BulkTally()
        try walk(
            BulkChange(filter: filter, target: .cancelled, requestsCancel: true, operation: .cancel, reason: reason, note: "", batchID: batchID, now: now),
            options: options, into: &tally)
        var changed = tally.changed
        if !changed.isEmpty { changed.sample = try sample(ofBatch: batchID, limit: options.sampleSize) }
        return (changed, changed.isEmpty ? nil : batchID)
    }

    /// How many runs ``requestCancel(ids:kinds:reason:options:)`` would ask to stop now, and the
    /// first `sampleSize` of them, changing nothing.
    ///
    /// Counted with the cancel's own predicate (queued or running, not asked yet), after the
    /// cancel's own checks: a preview that succeeds is a cancel that will not be refused.
    public func previewCancel(ids: [String] = [], kinds: [String] = [], reason: String?, sampleSize: Int = 10) throws -> ResetPreview {
        let (filter, selection) = try cancelFilter(ids: ids, kinds: kinds, reason: reason)
        let now = try DatabaseClock.now(on: connection)
        // The sample reads the reset's selection (queued or running): a run asked already may
        // be among it, so it is cut to the count.
        let sample = try candidates(selection, after: nil, limit: sampleSize, now: now)
        let count = try count(filter)
        return ResetPreview(count: count, sample: Array(sample.prefix(count)))
    }

    /// The checks of a cancel, for its preview and the cancel alike, and the runs it selects.
    private func cancelFilter(ids: [String], kinds: [String], reason: String?) throws -> (filter: BulkFilter, selection: ResetSelection) {
        guard table.has(.cancelRequestedAt) else {
            throw MaintenanceError(.unmappedColumns([.cancelRequestedAt], table: table.name.description, purpose: .requestingCancel))
        }
        guard !ids.isEmpty || !kinds.isEmpty else { throw MaintenanceError(.noRunsNamed) }
        let selection = try checkReset(ResetFilter(statuses: [.queued, .running], kinds: kinds, ids: ids), reason: reason)
        let filter = BulkFilter(
            from: table.values(.queued) + table.values(.running), kinds: kinds.map(DatabaseValue.text),
            ids: selection.ids.isEmpty ? nil : selection.ids, notCancelRequested: true)
        return (filter, selection)
    }
}
