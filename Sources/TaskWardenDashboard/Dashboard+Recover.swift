import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The guarded pipeline for recover: plan and preview (`GET /ui/recover`), then confirm by
/// typing the count and a reason (`POST /ui/recover`), then the change as a tracked operation
/// (``DashboardOperations``, `/ui/operation`), journaled with the actor.
///
/// The preview and the change are ``AdminActions``' calls, the ones `POST /api/recover` makes.
/// The change is capped at the count typed (the longest silent first), so runs that became stuck
/// after the preview are not changed unseen; a count that no longer matches is refused.
extension Dashboard {
    struct RecoverPage {
        struct Run {
            let id: String
            let query: String
            let kind: String
            let silentFor: String
            let threshold: String
        }
        struct Target {
            let value: String
            let selected: Bool
        }
        let chrome: PageChrome
        let tableName: String
        /// For the sentence: `nil` when not asked (Mustache takes an empty string as true).
        let kind: String?
        let olderThan: String?
        /// For the form's hidden fields.
        let kindValue: String
        let olderThanValue: String
        let found: Int
        /// Whether there is anything to confirm (Mustache takes 0 as true).
        let canConfirm: Bool
        let sample: [Run]
        let more: Int?
        let script: String
        let statements: Int
        let targets: [Target]
        let formToken: String
        let message: String?
    }

    func recoverPreview(_ role: AdminRole, _ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let watched = try table(request)
        let query = Self.query(request)
        func parameter(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        return try await recoverPreview(
            role, watched, kind: parameter("kind"), olderThan: parameter("older_than"), to: parameter("to"), formToken: formToken(request),
            message: message, status: status)
    }

    private func recoverPreview(
        _ role: AdminRole, _ watched: AdminServer.Table, kind: String?, olderThan: String?, to: String?, formToken: String, message: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let name = watched.table.name.description
        let options = try AdminActions.recoverOptions(for: watched, to: to, olderThan: olderThan, kind: kind, reason: "preview")
        let preview = try await AdminActions(access: access).previewRecover(options, on: watched, actor: "ui:preview")
        let targets = [TaskStatus.failed, .cancelled, .queued].filter { !watched.table.lacks($0) }
        return page(
            "recover",
            RecoverPage(
                chrome: PageChrome(role: role, table: name, current: .stuck), tableName: name, kind: kind, olderThan: olderThan,
                kindValue: kind ?? "", olderThanValue: olderThan ?? "", found: preview.found, canConfirm: preview.found > 0,
                sample: preview.sample.map { run in
                    let id = Self.text(of: run.id)
                    return .init(
                        id: id, query: DashboardForm.query([("table", name), ("id", id)]), kind: run.kind ?? "", silentFor: run.silentFor.ageText,
                        threshold: run.threshold.compactText)
                },
                more: preview.found > preview.sample.count ? preview.found - preview.sample.count : nil, script: preview.script, statements: preview.statements,
                targets: targets.map { .init(value: $0.rawValue, selected: $0 == options.target) }, formToken: formToken, message: message),
            status: status)
    }

    func recover(_ role: AdminRole, _ request: Request, form: [String: String]) async throws -> Response {
        let watched = try table(named: form["table"])
        let name = watched.table.name.description
        func field(_ key: String) -> String? { form[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        let (kind, olderThan, to) = (field("kind"), field("older_than"), field("to"))
        func refuse(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await recoverPreview(
                role, watched, kind: kind, olderThan: olderThan, to: to, formToken: form["form_token"] ?? "", message: message, status: status)
        }
        guard let reason = field("reason") else { return try await refuse("Say why: the reason goes into the journal.", .badRequest) }
        guard let typed = field("count").flatMap({ Int($0) }), typed > 0 else {
            return try await refuse("Type the number of runs to recover, as the preview shows it.", .badRequest)
        }
        let actions = AdminActions(access: access)
        let actor = "ui:" + (field("actor").map { String($0.prefix(64)) } ?? (role == .admin ? "operator" : "viewer"))
        // The same call the preview made, now: a count that moved since is refused.
        let now = try await actions.previewRecover(
            try AdminActions.recoverOptions(for: watched, to: to, olderThan: olderThan, kind: kind, reason: reason), on: watched, actor: actor)
        guard typed == now.found else {
            return try await refuse("You typed \(typed), but \(now.found) runs are stuck now: check the preview again.", .conflict)
        }
        let options = try AdminActions.recoverOptions(for: watched, to: to, olderThan: olderThan, kind: kind, reason: reason, limit: typed)
        let batchSize = changeBatchSize
        let id = operations.start(title: "Recover \(typed) stuck runs to \(options.target.rawValue)", table: name, actor: actor, expected: typed) { bulk in
            var bulk = bulk
            bulk.batchSize = batchSize
            let result = try await actions.recover(options, on: watched, actor: actor, bulk: bulk)
            return .init(changed: result.changed.count, skipped: result.skipped, batchID: result.batchID)
        }
        return Self.redirect("/ui/operation?" + DashboardForm.query([("id", id)]))
    }
}
