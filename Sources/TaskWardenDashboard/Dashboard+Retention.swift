import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// `/ui/retention`: the retention the configuration sets for a table (per status and kind), what
/// is past it now, and a what-if: given an age, the rows and bytes a purge would free, by status
/// and kind; operators go on to purge through the change pipeline (`/ui/purge`).
///
/// The rows are the purge's own dry run (``TaskRuns/purgeEstimate(_:kind:)``), the bytes an
/// estimate from the table's average row size: the page says which is which.
extension Dashboard {
    struct RetentionPage {
        struct Rule {
            let status: String
            let kind: String
            let keep: String
        }
        struct Part {
            let status: String
            let kind: String
            let rows: Int
            let bytes: String
        }
        let chrome: PageChrome
        let tableName: String
        let rules: [Rule]
        let hasRules: Bool
        let backlog: String
        let age: String
        let status: String
        let kind: String
        let statusOptions: [RunsPage.Option]
        /// The what-if's answer, when an age was given.
        let asked: Bool
        let parts: [Part]
        let rows: Int
        let bytes: String
        let averageRow: String
        let canPurge: Bool
        let purgeQuery: String
        let configuredPurgeQuery: String
    }

    func retentionPage(_ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let name = watched.table.name.description
        let query = Self.query(request)
        func parameter(_ key: String) -> String? { query[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        let (age, statusText, kind) = (parameter("older_than"), parameter("status"), parameter("kind"))
        var whatIf: RetentionPolicy?
        if let age {
            let duration = try Duration(parsing: age)
            guard duration > .zero else { throw DashboardInputError(message: "The age must be more than zero.") }
            let statuses = try statusText.map { [try DashboardSelection.status($0)] } ?? RetentionPolicy.purgeable
            if let bad = statuses.first(where: { !RetentionPolicy.purgeable.contains($0) }) {
                throw DashboardInputError(message: "Only finished runs are purged, not \(bad.rawValue) ones.")
            }
            whatIf = RetentionPolicy(statuses: Dictionary(uniqueKeysWithValues: statuses.filter { !watched.table.lacks($0) }.map { ($0, duration) }))
        }
        let configured = watched.retention
        let cap = Self.backlogCap
        let asked = whatIf
        let (backlog, estimate) = try await withRuns(watched) { runs in
            let backlog = configured.isEmpty || !runs.table.has(.finishedAt) ? nil : try runs.purgeBacklog(configured, cap: cap)
            return (backlog, try asked.map { try runs.purgeEstimate($0, kind: kind) })
        }
        var rules: [RetentionPage.Rule] = RetentionPolicy.purgeable.compactMap { status in
            configured.statuses[status].map { .init(status: status.rawValue, kind: "every kind without a rule", keep: $0.compactText) }
        }
        for kind in configured.kinds.keys.sorted() {
            for status in RetentionPolicy.purgeable {
                if let keep = configured.kinds[kind]?[status] { rules.append(.init(status: status.rawValue, kind: kind, keep: keep.compactText)) }
            }
        }
        let parts = (estimate?.parts ?? []).map {
            RetentionPage.Part(status: $0.status, kind: $0.kind ?? "(none)", rows: $0.rows, bytes: $0.bytes.map { "~" + DashboardText.bytes($0) } ?? "unknown")
        }
        return page(
            "retention",
            RetentionPage(
                chrome: PageChrome(role: role, table: name, current: .retention), tableName: name, rules: rules, hasRules: !rules.isEmpty,
                backlog: Self.backlogText(backlog), age: age ?? "", status: statusText ?? "", kind: kind ?? "",
                statusOptions: RetentionPolicy.purgeable.filter { !watched.table.lacks($0) }.map { .init(value: $0.rawValue, selected: $0.rawValue == statusText) },
                asked: estimate != nil, parts: parts, rows: estimate?.rows ?? 0,
                bytes: estimate?.bytes.map { "~" + DashboardText.bytes($0) } ?? "unknown (the database has no row estimate yet)",
                averageRow: estimate?.averageRowBytes.map { "~\(Int($0.rounded())) bytes per row" } ?? "unknown",
                canPurge: allowsActions && role == .admin,
                purgeQuery: DashboardForm.query([("table", name), ("older_than", age), ("status", statusText), ("kind", kind)]),
                configuredPurgeQuery: configured.isEmpty ? "" : DashboardForm.query([("table", name)])))
    }
}
