import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// What `undo` did (or, in a dry run, would do).
public struct UndoResult: Sendable {
    /// Entries whose run was put back.
    public let restored: [JournalEntry]
    /// Entries whose run changed since the batch, with its status now: left alone.
    public let skipped: [(entry: JournalEntry, currentStatus: String?)]
    /// The journal batch of the undo itself (undo can be undone); `nil` in a dry run.
    public let batchID: String?
    public let dryRun: Bool
}

extension TaskRuns {
    /// Puts back the old status of each run of batch `batchID` whose status is still the one
    /// the batch set; runs changed since are left alone and reported.
    ///
    /// The other columns the batch overwrote (`finished_at`, the note, and for a requeue the
    /// start time, heartbeat and worker) are restored too. Every restore is journaled as an
    /// `undo` under a new batch id, with the values it overwrote, so an undo is as undoable
    /// as the change it reverses: change, undo, undo of the undo leaves every column as the
    /// change left it.
    public func undo(batchID: String, dryRun: Bool = false) throws -> UndoResult {
        try checkJournalInput(reason: nil)
        // Every entry of the batch: a reset has no size limit, so neither has its undo.
        let entries = try journal(batchID: batchID, limit: Int(Int64.max))
        guard !entries.isEmpty else { throw MaintenanceError(.unknownBatch(batchID)) }
        let now = try DatabaseClock.now(on: connection)
        let undoBatch = Self.newBatchID(now: now)
        var restored: [JournalEntry] = []
        var skipped: [(JournalEntry, String?)] = []
        // Newest first, so a run changed twice in the batch goes back to its first state.
        for chunk in entries.reversed().chunked(into: Self.changeBatchSize) {
            try journaled {
                for entry in chunk {
                    let target = try tableOf(entry)
                    let current = try currentStatus(of: entry, in: target)
                    guard current == entry.newStatus, let oldStatus = entry.oldStatus, let newStatus = entry.newStatus else {
                        skipped.append((entry, current))
                        continue
                    }
                    if dryRun {
                        restored.append(entry)
                        continue
                    }
                    // What the restore overwrites, read and locked first: the undo journals it,
                    // so that undoing the undo puts back what the change had set.
                    guard
                        let locked = try connection.query(
                            SQL.Runs.LockForChange(ids: [.text(entry.runID)], fromStatuses: [.text(newStatus)], cutoff: .null),
                            names: names(for: target)
                        ).first?.raw
                    else {
                        skipped.append((entry, current))
                        continue
                    }
                    var overwritten: [String: DatabaseValue] = [:]
                    var restore = SQL.Runs.Restore(
                        oldStatus: .text(oldStatus), finishedAt: .null, note: .null, startedAt: .null, heartbeatAt: .null,
                        worker: .null, cancelRequestedAt: .null, id: .text(entry.runID), currentStatus: .text(newStatus))
                    for (key, value) in entry.oldValues where target.identifiers[key] != nil {
                        overwritten[key] = Self.journalValue(locked[key] ?? .null, column: key, in: target)
                        let column = TaskTable.Column(rawValue: key)
                        var restored = value
                        if column?.holdsTime == true, case .text(let text) = value, let time = Timestamp(parsing: text) {
                            restored = target.timeFormat.encode(time)
                        }
                        restore.restore(key, to: restored)
                    }
                    let updated = try connection.execute(restore, names: names(for: target))
                    guard updated == 1 else {
                        skipped.append((entry, current))
                        continue
                    }
                    try journal(
                        ChangedRun(table: entry.targetTable, id: .text(entry.runID), oldStatus: newStatus, newStatus: oldStatus),
                        operation: .undo, batchID: undoBatch, reason: "undo of batch \(batchID)", oldValues: overwritten)
                    restored.append(entry)
                }
            }
        }
        return UndoResult(restored: restored, skipped: skipped, batchID: dryRun || restored.isEmpty ? nil : undoBatch, dryRun: dryRun)
    }

    /// The mapping of the table an entry's run is in: this table or its parent.
    private func tableOf(_ entry: JournalEntry) throws -> TaskTable {
        if entry.targetTable == table.name.description { return table }
        if let parent = table.parent, entry.targetTable == parent.table.name.description { return parent.table }
        throw MaintenanceError(.batchForOtherTable(batchTable: entry.targetTable, mappedTable: table.name.description))
    }

    /// The run's status value now, whatever it is; `nil` when the run is gone.
    private func currentStatus(of entry: JournalEntry, in target: TaskTable) throws -> String? {
        try connection.query(SQL.Runs.Current(id: .text(entry.runID)), names: names(for: target))
            .first?.decode(String.self, .status)
    }
}

extension SQL.Runs.Restore {
    /// Puts column `key` (a journal's `old_values` key) back to `value`; other keys are not
    /// columns undo restores, and are left alone.
    fileprivate mutating func restore(_ key: String, to value: DatabaseValue) {
        switch key {
        case "finished_at": (finishedAt, restoreFinishedAt) = (value, true)
        case "note": (note, restoreNote) = (value, true)
        case "started_at": (startedAt, restoreStartedAt) = (value, true)
        case "heartbeat_at": (heartbeatAt, restoreHeartbeatAt) = (value, true)
        case "worker": (worker, restoreWorker) = (value, true)
        case "cancel_requested_at": (cancelRequestedAt, restoreCancelRequestedAt) = (value, true)
        default: break
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
