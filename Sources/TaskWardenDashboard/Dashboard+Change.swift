import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The one guarded pipeline of every change (``DashboardAction``: recover, reset, cancel,
/// delete, purge, undo): plan and preview (`GET /ui/<action>`), confirm by typing the count and
/// a reason (`POST /ui/<action>`), then the change as a tracked operation
/// (``DashboardOperations``, `/ui/operation`), journaled with the actor `ui:<name>`.
///
/// The preview and the change are ``AdminActions``' `preview` and `apply`, the library calls
/// the CLI makes; the pipeline adds only the guards: the operator's role (checked by the
/// server), the form token and the same-origin check (``Dashboard/change(_:_:)``), and the
/// count typed, compared with the count at the moment of confirming (409 when it moved: the
/// operator confirms what they saw). A recover is also capped at that count.
extension Dashboard {
    struct ChangePage {
        struct Run {
            let id: String
            let query: String
            let status: String
            let kind: String
            let detail: String
        }
        struct Count {
            let status: String
            let kind: String
            let rows: Int
        }
        struct Target {
            let value: String
            let selected: Bool
        }
        let chrome: PageChrome
        let action: String
        let title: String
        let tableName: String
        /// For the sentence: `nil` when not asked (Mustache takes an empty string as true).
        let kind: String?
        let olderThan: String?
        let status: String?
        let selectedCount: Int?
        let batch: String?
        let foundText: String
        let found: Int
        /// Whether there is anything to confirm (Mustache takes 0 as true).
        let canConfirm: Bool
        let sample: [Run]
        let more: Int?
        let counts: [Count]
        let isUndo: Bool
        /// `nil` for none (Mustache takes 0 as true).
        let leftAlone: Int?
        let leftAloneSample: [Run]
        let refused: [String]
        let script: String
        let statements: Int
        /// The batches the script shows when it leaves some out; `nil` when it shows them all.
        let scriptBatches: Int?
        let batches: Int
        let batchSize: Int
        let hasTarget: Bool
        let targets: [Target]
        let hidden: [DashboardSelection.Hidden]
        let verb: String
        let formToken: String
        let message: String?
        /// Whether each list has rows, for the sections around them (Mustache iterates a list,
        /// and reads stored properties only).
        var hasSample = false
        var hasLeftAloneSample = false
        var hasCounts = false
        var hasRefused = false
    }

    /// `GET /ui/<action>`: the preview of the change the query selects.
    func changePreview(_ action: DashboardAction, _ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let selection = DashboardSelection(Self.query(request), ids: DashboardForm.values(request.uri.query ?? "", named: "id"))
        return try await changePreview(action, role, watched, selection, formToken: formToken(request), message: nil, status: .ok)
    }

    private func changePreview(
        _ action: DashboardAction, _ role: AdminRole, _ watched: AdminServer.Table, _ selection: DashboardSelection, formToken: String, message: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let name = watched.table.name.description
        let change = try action.change(selection, on: watched, retention: watched.retention, batchSize: changeBatchSize)
        // The script shows where the reason and the actor go: they are given on confirming.
        let preview = try await AdminActions(access: access).preview(
            change, reason: Self.reasonPlaceholder, on: watched, actor: "ui:<your name>", batchSize: changeBatchSize)
        let target: String? =
            switch change {
            case .recover(let options): options.target.rawValue
            case .reset(_, let to): to.rawValue
            default: nil
            }
        func row(_ run: ChangePreview.Run) -> ChangePage.Run {
            .init(id: run.id, query: DashboardForm.query([("table", name), ("id", run.id)]), status: run.status, kind: run.kind ?? "", detail: run.detail)
        }
        var shown = ChangePage(
            chrome: PageChrome(role: role, table: name, current: action == .undo ? .journal : action == .purge ? .retention : .runs),
            action: action.rawValue, title: action.title, tableName: name, kind: selection.kind, olderThan: selection.olderThan,
            status: selection.status, selectedCount: selection.ids.isEmpty ? nil : selection.ids.count, batch: selection.batch,
            foundText: action.found, found: preview.found, canConfirm: preview.found > 0, sample: preview.sample.map(row),
            more: preview.found > preview.sample.count && action != .purge ? preview.found - preview.sample.count : nil,
            counts: preview.counts.map { .init(status: $0.status, kind: $0.kind ?? "(any)", rows: $0.rows) },
            isUndo: action == .undo, leftAlone: preview.leftAlone > 0 ? preview.leftAlone : nil, leftAloneSample: preview.leftAloneSample.map(row),
            refused: preview.refused.map(Self.refusedText), script: preview.script, statements: preview.statements,
            scriptBatches: preview.moreBatches > 0 ? preview.batches - preview.moreBatches : nil, batches: preview.batches, batchSize: preview.batchSize, hasTarget: action.hasTarget,
            targets: action.targets(watched.table).map { .init(value: $0.rawValue, selected: $0.rawValue == target) },
            hidden: selection.hiddenFields, verb: action.verb, formToken: formToken, message: message
        )
        shown.hasSample = !shown.sample.isEmpty
        shown.hasLeftAloneSample = !shown.leftAloneSample.isEmpty
        shown.hasCounts = !shown.counts.isEmpty
        shown.hasRefused = !shown.refused.isEmpty
        return page("change", shown, status: status)
    }

    /// `POST /ui/<action>`: the confirmation. Refused with the preview again (400) without a
    /// reason or a count, and (409) when the count typed is not the count now.
    func confirmChange(_ action: DashboardAction, _ role: AdminRole, form: [String: String]) async throws -> Response {
        let watched = try table(named: form["table"])
        let name = watched.table.name.description
        let selection = DashboardSelection(form, ids: [])
        func field(_ key: String) -> String? { form[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        func refuse(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await changePreview(action, role, watched, selection, formToken: form["form_token"] ?? "", message: message, status: status)
        }
        guard let reason = field("reason") else { return try await refuse("Say why: the reason goes into the journal.", .badRequest) }
        guard let typed = field("count").flatMap({ Int($0) }), typed > 0 else {
            return try await refuse("Type the number of runs to \(action.verb.lowercased()), as the preview shows it.", .badRequest)
        }
        let actions = AdminActions(access: access)
        let actor = "ui:" + (field("actor").map { String($0.prefix(64)) } ?? (role == .admin ? "operator" : "viewer"))
        var change = try action.change(selection, on: watched, retention: watched.retention, batchSize: changeBatchSize)
        // The same preview, now: a count that moved since is refused.
        let now = try await actions.preview(change, reason: reason, on: watched, actor: actor, batchSize: changeBatchSize)
        guard typed == now.found else {
            return try await refuse("You typed \(typed), but \(now.found) \(action.found) now: check the preview again.", .conflict)
        }
        if case .recover(var options) = change {
            // The longest silent first, no more than confirmed: runs stuck since stay for the next look.
            options.limit = typed
            change = .recover(options)
        }
        let batchSize = changeBatchSize
        let confirmed = change
        // On a connection of its own: the pages and the watchdog go on while it runs.
        let changing = AdminActions(access: changes ?? access)
        let id = operations.start(title: action.operationTitle(typed, change: change), table: name, actor: actor, expected: typed) { bulk in
            var bulk = bulk
            bulk.batchSize = batchSize
            let outcome = try await changing.apply(confirmed, reason: reason, on: watched, actor: actor, bulk: bulk)
            return .init(changed: outcome.changed, skipped: outcome.skipped, batchID: outcome.batchID)
        }
        return Self.redirect("/ui/operation?" + DashboardForm.query([("id", id)]))
    }

    /// The reason the preview's script shows: the operator gives the real one on confirming.
    static let reasonPlaceholder = "<the reason you give>"

    static func refusedText(_ run: RefusedRun) -> String {
        switch run.reason {
        case .missing: "\(run.id): no such run"
        case .notFinished(let status): "\(run.id): \(status), not finished; a delete never takes it"
        case .notSelected(let status): "\(run.id): \(status), not of the statuses or kinds selected"
        }
    }
}
