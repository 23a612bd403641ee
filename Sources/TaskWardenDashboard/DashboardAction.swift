import Foundation
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// An action of the dashboard's one change pipeline, `/ui/<action>`: how its page names it, and
/// how a request's selection becomes the ``AdminChange`` that ``AdminActions`` makes.
///
/// The selection is the same on every page and in every form: runs chosen by their boxes
/// (`id`, repeated, or `ids`, comma-separated), or everything matching `status` and `kind`; plus
/// what the action itself takes (`to`, `older_than`, `batch`, `archive`). Filters no change can
/// take (queue, worker, started within) are refused rather than dropped, so a change never takes
/// more runs than the page it came from showed.
enum DashboardAction: String, CaseIterable, Sendable {
    case recover, reset, cancel, delete, purge, undo

    /// The page's heading.
    var title: String {
        switch self {
        case .recover: "Recover stuck runs"
        case .reset: "Reset runs"
        case .cancel: "Ask runs to stop"
        case .delete: "Delete finished runs"
        case .purge: "Purge finished runs past retention"
        case .undo: "Undo a batch"
        }
    }

    /// What follows the count in the preview's sentence, and in the refusal of a count that moved.
    var found: String {
        switch self {
        case .recover: "runs are stuck"
        case .reset: "runs match"
        case .cancel: "queued or running runs match and were not asked to stop yet"
        case .delete: "finished runs match"
        case .purge: "finished runs are past retention"
        case .undo: "runs of the batch would go back"
        }
    }

    /// The confirm button.
    var verb: String {
        switch self {
        case .recover: "Recover"
        case .reset: "Reset"
        case .cancel: "Ask to stop"
        case .delete: "Delete"
        case .purge: "Purge"
        case .undo: "Undo"
        }
    }

    /// Whether the confirmation chooses a status to write (`to`).
    var hasTarget: Bool { self == .recover || self == .reset }

    /// The statuses `to` may name on `table`.
    func targets(_ table: TaskTable) -> [TaskStatus] {
        switch self {
        case .recover: [TaskStatus.failed, .cancelled, .queued].filter { !table.lacks($0) }
        case .reset: TaskStatus.allCases.filter { !table.lacks($0) && $0 != .running }
        default: []
        }
    }

    /// The status written when `to` is not given.
    func defaultTarget(_ table: TaskTable) -> TaskStatus {
        table.lacks(.failed) ? .cancelled : .failed
    }

    /// The change a request's selection asks for on `watched`.
    ///
    /// - Throws: ``DashboardInputError`` for a selection this action cannot take, with what to
    ///   do instead; the parsing errors of statuses and durations.
    func change(_ selection: DashboardSelection, on watched: AdminServer.Table, retention: RetentionPolicy, batchSize: Int?) throws -> AdminChange {
        let status = try selection.status.map(DashboardSelection.status)
        let olderThan = try selection.olderThan.map { try Duration(parsing: $0) }
        if selection.ids.isEmpty, let filter = selection.unusableFilter {
            throw DashboardInputError(message: "A change cannot select runs by \(filter): tick the runs' boxes, or filter by status and kind only.")
        }
        switch self {
        case .recover:
            guard selection.ids.isEmpty else {
                throw DashboardInputError(message: "Recover takes every stuck run (of a kind); for chosen runs, reset them to failed instead.")
            }
            return .recover(try AdminActions.recoverOptions(for: watched, to: selection.to, olderThan: selection.olderThan, kind: selection.kind, reason: nil))
        case .reset:
            let target = try selection.to.map(DashboardSelection.status) ?? defaultTarget(watched.table)
            let statuses = status.map { [$0] } ?? TaskStatus.allCases.filter { !watched.table.lacks($0) && $0 != target }
            guard !statuses.contains(target) else { throw DashboardInputError(message: "The runs are \(target.rawValue) already: choose another status to make them.") }
            return .reset(ResetFilter(statuses: statuses, kinds: selection.kind.map { [$0] } ?? [], ids: selection.ids, olderThan: olderThan), to: target)
        case .cancel:
            if let status, status != .queued && status != .running {
                throw DashboardInputError(message: "Only queued and running runs can be asked to stop, not \(status.rawValue) ones.")
            }
            guard status == nil || !selection.ids.isEmpty else {
                throw DashboardInputError(message: "Cancel takes queued and running runs alike, by kind or by their boxes: clear the status filter, or tick the runs.")
            }
            return .cancel(ids: selection.ids, kinds: selection.kind.map { [$0] } ?? [])
        case .delete:
            let archive = try selection.archive.map { try SQLIdentifier($0) }
            return .delete(DeleteFilter(ids: selection.ids, kinds: selection.kind.map { [$0] } ?? [], statuses: status.map { [$0] } ?? []), archive: archive)
        case .purge:
            guard selection.ids.isEmpty else { throw DashboardInputError(message: "Purge takes runs by age, not by their boxes: delete chosen runs instead.") }
            let statuses = status.map { [$0] } ?? RetentionPolicy.purgeable
            if let status, !RetentionPolicy.purgeable.contains(status) {
                throw DashboardInputError(message: "Only finished runs are purged, not \(status.rawValue) ones.")
            }
            var policy: RetentionPolicy
            if let olderThan {
                guard olderThan > .zero else { throw DashboardInputError(message: "The age must be more than zero.") }
                policy = RetentionPolicy(statuses: Dictionary(uniqueKeysWithValues: statuses.filter { !watched.table.lacks($0) }.map { ($0, olderThan) }))
            } else {
                policy = RetentionPolicy(statuses: retention.statuses.filter { statuses.contains($0.key) }, kinds: retention.kinds.mapValues { $0.filter { statuses.contains($0.key) } })
                guard !policy.isEmpty else {
                    throw DashboardInputError(message: "No retention is configured for these runs: give an age (older than) to purge by.")
                }
            }
            var options = PurgeOptions(retention: policy)
            options.kind = selection.kind
            if let batchSize { options.batchSize = batchSize }
            return .purge(options)
        case .undo:
            guard let batch = selection.batch else { throw DashboardInputError(message: "Which batch? Give batch (the journal lists them).") }
            return .undo(batch: batch)
        }
    }

    /// The operation's title once confirmed for `count` runs.
    func operationTitle(_ count: Int, change: AdminChange) -> String {
        switch change {
        case .recover(let options): "Recover \(count) stuck runs to \(options.target.rawValue)"
        case .reset(_, let target): "Reset \(count) runs to \(target.rawValue)"
        case .cancel: "Ask \(count) runs to stop"
        case .delete(_, let archive): "Delete \(count) finished runs" + (archive.map { " into \($0.description)" } ?? "")
        case .purge: "Purge \(count) finished runs"
        case .undo(let batch): "Undo batch \(batch) (\(count) runs)"
        }
    }
}
