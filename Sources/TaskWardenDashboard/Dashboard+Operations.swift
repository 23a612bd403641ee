import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore

/// `/ui/operation?id=`: a change the dashboard started, with its progress while it runs (the
/// page refreshes every 2 s), a cancel button for operators, and its outcome and batch after.
extension Dashboard {
    struct OperationPage {
        let chrome: PageChrome
        let id: String
        let title: String
        let tableName: String
        let actor: String
        let startedAt: String
        let done: Int
        let expected: Int
        let batches: Int
        let running: Bool
        let canCancel: Bool
        let cancelRequested: Bool
        let formToken: String
        let outcome: String?
        let error: String?
        let batch: String?
        let batchQuery: String
        /// An operator may undo the change's batch here.
        let canUndo: Bool
    }

    func operationPage(_ role: AdminRole, _ request: Request) throws -> Response {
        guard let id = Self.query(request)["id"], let operation = operations.operation(id) else {
            return failure(role, .notFound, "No such operation", "This process started no operation with that id (operations are forgotten on restart; the journal keeps every change).")
        }
        let running = operation.state == .running
        var outcome: String?
        if let result = operation.result {
            let skipped = result.skipped > 0 ? "; \(result.skipped) moved on first and were left alone" : ""
            switch operation.state {
            case .stopped: outcome = "Stopped at your request after \(result.changed) of \(operation.expected) runs\(skipped). The batches committed stay."
            default: outcome = "Done: \(result.changed) runs changed\(skipped)."
            }
        }
        return page(
            "operation",
            OperationPage(
                chrome: PageChrome(role: role, table: operation.table, current: .stuck, refreshSeconds: running ? 2 : nil), id: operation.id,
                title: operation.title, tableName: operation.table, actor: operation.actor,
                startedAt: DashboardText.time(Timestamp(operation.startedAt)), done: operation.done, expected: operation.expected,
                batches: operation.batches, running: running, canCancel: running && role == .admin && !operation.cancelRequested,
                cancelRequested: running && operation.cancelRequested, formToken: formToken(request), outcome: outcome, error: operation.error,
                batch: operation.result?.batchID,
                batchQuery: DashboardForm.query([("table", operation.table), ("batch", operation.result?.batchID)]),
                canUndo: allowsActions && role == .admin))
    }

    func cancelOperation(_ role: AdminRole, form: [String: String]) throws -> Response {
        guard let id = form["id"], operations.cancel(id) else {
            return failure(role, .notFound, "No such operation", "This process started no operation with that id.")
        }
        return Self.redirect("/ui/operation?" + DashboardForm.query([("id", id)]))
    }
}
