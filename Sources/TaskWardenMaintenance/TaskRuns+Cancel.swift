import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension TaskRuns {
    /// Asks queued and running runs to stop: sets `cancel_requested_at`, which workers see
    /// through `isCancelRequested`, and journals each request (operation `cancel`; the status
    /// is left to the worker, which finishes the run as cancelled).
    ///
    /// - Returns: the runs asked, as journaled (old and new status are the same).
    public func requestCancel(ids: [String] = [], kinds: [String] = [], reason: String?) throws -> (changed: [ChangedRun], batchID: String?) {
        guard table.has(.cancelRequestedAt) else {
            throw MaintenanceError(.unmappedColumns([.cancelRequestedAt], table: table.name.description, purpose: .requestingCancel))
        }
        guard !ids.isEmpty || !kinds.isEmpty else { throw MaintenanceError(.noRunsNamed) }
        let selection = try checkReset(ResetFilter(statuses: [.queued, .running], kinds: kinds, ids: ids), reason: reason)
        let now = try DatabaseClock.now(on: connection)
        let batchID = Self.newBatchID(now: now)
        var changed: [ChangedRun] = []
        var after: DatabaseValue?
        while true {
            let batch = try candidates(selection, after: after, limit: Self.changeBatchSize, now: now)
            guard let last = batch.last else { break }
            changed += try journaled {
                let active = table.values(.queued) + table.values(.running)
                // Runs already asked are left alone (and not journaled again).
                let locked = try connection.query(
                    SQL.Runs.LockForChange(ids: batch.map(\.id), fromStatuses: active, cutoff: .null), names: names()
                ).filter { ($0.cancelRequestedAt ?? .null).isNull }
                let ids = locked.map(\.id)
                try connection.execute(
                    SQL.Lifecycle.RequestCancel(now: table.timeFormat.encode(now), ids: ids, activeStatuses: active), names: names())
                return try locked.map { row in
                    let status = try row.decode(String.self, .status)
                    let run = ChangedRun(table: table.name.description, id: row.id, oldStatus: status, newStatus: status)
                    try journal(run, operation: .cancel, batchID: batchID, reason: reason, oldValues: ["cancel_requested_at": .null])
                    return run
                }
            }
            after = last.id
            if batch.count < Self.changeBatchSize { break }
        }
        return (changed, changed.isEmpty ? nil : batchID)
    }
}
