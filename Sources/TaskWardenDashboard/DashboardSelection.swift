import Foundation
import TaskWardenSchema

/// What a request selects for a change: the boxes ticked, the filter, and the action's own fields.
struct DashboardSelection: Sendable {
    /// A hidden field of a form.
    struct Hidden: Sendable {
        let name: String
        let value: String
    }

    var ids: [String] = []
    var status: String?
    var kind: String?
    var olderThan: String?
    var to: String?
    var batch: String?
    var archive: String?
    /// The first filter a change cannot take (queue, worker, started within), if given.
    var unusableFilter: String?

    /// From a query or form's fields; `id` may repeat (one per ticked box).
    init(_ fields: [String: String], ids: [String]) {
        func field(_ key: String) -> String? {
            fields[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let listed = field("ids").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        var seen: Set<String> = []
        self.ids = (ids + listed).filter { !$0.isEmpty && seen.insert($0).inserted }
        status = field("status")
        kind = field("kind")
        olderThan = field("older_than")
        to = field("to")
        batch = field("batch")
        archive = field("archive")
        unusableFilter = [("queue", "queue"), ("worker", "worker"), ("since", "start time")].first { field($0.0) != nil }?.1
    }

    /// The status `text` names, or one clear error.
    static func status(_ text: String) throws -> TaskStatus {
        guard let status = TaskStatus(rawValue: text) else {
            throw DashboardInputError(message: "Unknown status '\(text)' (queued, running, succeeded, failed, cancelled).")
        }
        return status
    }

    /// The hidden fields that carry the selection from the preview to its confirmation.
    var hiddenFields: [Hidden] {
        [("ids", ids.isEmpty ? nil : ids.joined(separator: ",")), ("status", status), ("kind", kind), ("older_than", olderThan), ("batch", batch), ("archive", archive)]
            .compactMap { name, value in value.map { Hidden(name: name, value: $0) } }
    }
}
