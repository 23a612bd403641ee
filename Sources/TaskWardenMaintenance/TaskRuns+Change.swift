import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// One run whose status TaskWarden changed (or, in a dry run, would change).
public struct ChangedRun: Sendable, Hashable {
    /// The table the run is in (a parent table's runs follow their children).
    public let table: String
    public let id: DatabaseValue
    public let oldStatus: String
    public let newStatus: String
}

/// Runs of one change that are updated by one statement.
///
/// A run that was already finished keeps its finish time when it moves to another finished
/// status: that time is its purge age, and the change did not end it.
struct ChangeGroup: Hashable {
    var target: TaskStatus
    var keepsFinishTime: Bool
}

/// What a batch of status changes asks for.
struct StatusChange {
    var ids: [DatabaseValue]
    /// The table's values the runs must still have.
    var from: [DatabaseValue]
    /// When set, the last sign of life must still be older than this.
    var cutoff: Timestamp?
    var target: TaskStatus
    /// Requeue only runs with attempts left; fail the others (recover --to queued).
    var failWhenAttemptsExhausted = false
    var operation: JournalOperation
    var reason: String?
    var note: String
    var batchID: String
    var now: Timestamp
}

extension TaskRuns {
    /// How many runs one transaction changes: large resets commit in batches so that no
    /// transaction holds row locks for long.
    public static let changeBatchSize = 500

    /// Changes the runs of `change`, in transactions of at most ``changeBatchSize`` runs, each
    /// journaling what it changed. Runs that no longer qualify are left alone.
    func apply(_ change: StatusChange) throws -> [ChangedRun] {
        if change.target == .queued && change.failWhenAttemptsExhausted { try checkCanRequeue() }
        var changed: [ChangedRun] = []
        var start = 0
        while start < change.ids.count {
            var chunk = change
            chunk.ids = Array(change.ids[start..<min(start + Self.changeBatchSize, change.ids.count)])
            changed += try journaled { try applyInTransaction(chunk) }
            start += Self.changeBatchSize
        }
        return changed
    }

    /// Requeueing while attempts remain reads the attempt columns: refuses a table without them.
    func checkCanRequeue() throws {
        guard table.has(.attempt) && table.has(.maxAttempts) else {
            throw MaintenanceError(.unmappedColumns([.attempt, .maxAttempts], table: table.name.description, purpose: .requeueing))
        }
    }

    /// Runs `body` in a write transaction, turning a missing journal table into a clear error.
    func journaled<T>(_ body: () throws -> T) throws -> T {
        try needingJournal { try connection.inTransaction { _ in try body() } }
    }

    /// Runs `body`, which uses the journal table, naming the fix if that table is missing.
    func needingJournal<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.isUndefinedTable && error.sql?.contains("task_run_events") == true {
            throw MaintenanceError(.journalMissing)
        }
    }

    private func applyInTransaction(_ change: StatusChange) throws -> [ChangedRun] {
        let cutoff = change.cutoff.map(table.timeFormat.encode) ?? .null
        let locked = try connection.query(
            SQL.Runs.LockForChange(ids: change.ids, fromStatuses: change.from, cutoff: cutoff, checkCutoff: change.cutoff != nil),
            names: names())
        var groups: [ChangeGroup: [Row]] = [:]
        for row in locked {
            var target = change.target
            if change.failWhenAttemptsExhausted, change.target == .queued,
                (try row.decode(Int?.self, .attempt) ?? 0) >= (try row.decode(Int?.self, .maxAttempts) ?? 1)
            {
                target = .failed
            }
            let wasFinished = table.status(of: try row.decode(String.self, .status))?.isTerminal ?? false
            groups[ChangeGroup(target: target, keepsFinishTime: wasFinished && target.isTerminal), default: []].append(row.raw)
        }
        var changed: [ChangedRun] = []
        var parentIDs: [TaskStatus: [DatabaseValue]] = [:]
        for (group, rows) in groups.sorted(by: { ($0.key.target.rawValue, $0.key.keepsFinishTime ? 1 : 0) < ($1.key.target.rawValue, $1.key.keepsFinishTime ? 1 : 0) }) {
            let target = group.target
            let requeue = target == .queued
            // A kept finish time is not written, so its value is never bound.
            let finishedAt = !group.keepsFinishTime && target.isTerminal ? table.timeFormat.encode(change.now) : .null
            try connection.execute(
                SQL.Runs.ChangeStatus(
                    newStatus: .text(table.written(target)), finishedAt: finishedAt, note: .text(change.note),
                    ids: rows.map { $0["id"] ?? .null }, fromStatuses: change.from, cutoff: cutoff,
                    keepFinishedAt: group.keepsFinishTime, requeue: requeue, checkCutoff: change.cutoff != nil),
                names: names())
            for row in rows {
                let run = ChangedRun(
                    table: table.name.description, id: row["id"] ?? .null, oldStatus: try row.decode(String.self, "status"),
                    newStatus: table.written(target))
                try journal(run, operation: change.operation, batchID: change.batchID, reason: change.reason, oldValues: oldValues(of: row, requeue: requeue))
                changed.append(run)
                if let parentKey = row["parent_key"], !parentKey.isNull { parentIDs[target, default: []].append(parentKey) }
            }
        }
        if let parent = table.parent {
            for (target, ids) in parentIDs {
                changed += try followParent(parent, ids: ids, target: target, change: change)
            }
        }
        return changed
    }

    /// Moves the parents of changed runs to the same status, if they are still queued or running.
    private func followParent(_ parent: ParentTable, ids: [DatabaseValue], target: TaskStatus, change: StatusChange) throws -> [ChangedRun] {
        let parentTable = parent.table
        let from = target == .queued ? parentTable.values(.running) : parentTable.values(.running) + parentTable.values(.queued)
        let uniqueIDs = Array(Set(ids))
        let rows = try connection.query(
            SQL.Runs.LockForChange(ids: uniqueIDs, fromStatuses: from, cutoff: .null), names: names(for: parentTable)
        ).map(\.raw)
        guard !rows.isEmpty else { return [] }
        let requeue = target == .queued
        try connection.execute(
            SQL.Runs.ChangeStatus(
                newStatus: .text(parentTable.written(target)),
                finishedAt: target.isTerminal ? parentTable.timeFormat.encode(change.now) : .null, note: .text(change.note),
                ids: rows.map { $0["id"] ?? .null }, fromStatuses: from, cutoff: .null,
                requeue: requeue && parentTable.has(.startedAt)),
            names: names(for: parentTable))
        return try rows.map { row in
            let run = ChangedRun(
                table: parentTable.name.description, id: row["id"] ?? .null, oldStatus: try row.decode(String.self, "status"),
                newStatus: parentTable.written(target))
            try journal(run, operation: change.operation, batchID: change.batchID, reason: change.reason, oldValues: oldValues(of: row, requeue: requeue, in: parentTable))
            return run
        }
    }

    /// The columns a change overwrites, as they were, for undo.
    private func oldValues(of row: Row, requeue: Bool, in table: TaskTable? = nil) -> [String: DatabaseValue] {
        let table = table ?? self.table
        var keys = ["finished_at", "note"]
        if requeue { keys += ["started_at", "heartbeat_at", "worker"] }
        var values: [String: DatabaseValue] = [:]
        for key in keys {
            guard let value = row[key] else { continue }
            values[key] = Self.journalValue(value, column: key, in: table)
        }
        return values
    }

    /// A column's value as `old_values` keeps it: times as points in time, whatever the
    /// table's format, so that undo writes them back in that format.
    static func journalValue(_ value: DatabaseValue, column key: String, in table: TaskTable) -> DatabaseValue {
        if TaskTable.Column(rawValue: key)?.holdsTime == true, let time = table.timeFormat.decode(value) { return .timestamp(time) }
        return value
    }

    func journal(_ run: ChangedRun, operation: JournalOperation, batchID: String, reason: String?, oldValues: [String: DatabaseValue]) throws {
        try connection.execute(
            SQL.Journal.Insert(
                targetTable: .text(run.table), runId: .text(Self.text(of: run.id)), operation: .text(operation.stored),
                oldStatus: .text(run.oldStatus), newStatus: .text(run.newStatus), batchId: .text(batchID),
                reason: reason.map(DatabaseValue.text) ?? .null, oldValues: .text(JournalValues.encode(oldValues)),
                actor: .text(actor)),
            names: names())
    }

    /// A new batch id: sortable by time, unique.
    static func newBatchID(now: Timestamp) -> String {
        let c = now.components
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
        return "\(stamp)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// The `old_values` JSON of a journal entry: a flat object of strings, numbers and nulls;
/// times as ISO-8601 text.
enum JournalValues {
    static func encode(_ values: [String: DatabaseValue]) -> String {
        var object: [String: Any] = [:]
        for (key, value) in values {
            switch value {
            case .null: object[key] = NSNull()
            case .integer(let integer): object[key] = integer
            case .double(let double): object[key] = double
            case .text(let text): object[key] = text
            case .timestamp(let timestamp): object[key] = timestamp.iso8601
            case .bytes(let bytes): object[key] = bytes.map { String(format: "%02x", $0) }.joined()
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: DatabaseValue] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var values: [String: DatabaseValue] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: values[key] = .text(text)
            case let integer as Int: values[key] = .integer(Int64(integer))
            case let double as Double: values[key] = .double(double)
            default: values[key] = .null
            }
        }
        return values
    }
}
