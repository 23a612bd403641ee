import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema
import TaskWardenWatch

extension Dashboard {
    /// `/ui/`: per table, runs by status and kind, stuck runs, finishes per hour, size, and the
    /// watchdog's state.
    func overview(_ role: AdminRole, _ request: Request) async throws -> Response {
        var sections: [OverviewPage.Table] = []
        var now = Timestamp.now
        for watched in tables {
            let cap = Self.backlogCap
            let (limit, statusCap) = (exactCountLimit, Self.statusCountCap)
            let known = hourlyFinishes.known(for: watched.table.name.description)
            let (stats, estimated, hourly, backlog, lease) = try await withRuns(watched) { runs in
                // A big table's counts come from the database's estimates: exact ones would read it all.
                let estimated = try runs.estimatedCounts(exactUpTo: limit, cap: statusCap)
                // The last hour only: the chart shows the day, its past hours counted once in a while.
                let stats = try runs.stats(policy: watched.stuck, counts: estimated == nil, lastDay: false)
                let hourly = try runs.finishedPerHour(reusing: known)
                let backlog = watched.retention.isEmpty || !runs.table.has(.finishedAt) ? nil : try runs.purgeBacklog(watched.retention, cap: cap)
                // Last, since a failed statement may spoil what follows it on some backends. No
                // lease table, or none readable: no watchdog to tell of.
                let lease = try? WatchLeadership.holder(ofTable: runs.table.name.description, on: runs.connection)
                return (stats, estimated, hourly, backlog, lease)
            }
            now = stats.now
            let name = watched.table.name.description
            hourlyFinishes.store(hourly, for: name, reused: known != nil)
            var statuses = Array(Set(stats.counts.map(\.value))).sorted()
            var kinds = Array(Set(stats.counts.map { $0.kind ?? "" })).sorted()
            var byCell: [String: [String: String]] = [:]
            for count in stats.counts {
                let sum = Int(byCell[count.kind ?? ""]?[count.value] ?? "0") ?? 0
                byCell[count.kind ?? "", default: [:]][count.value] = String(sum + count.count)
            }
            var total = String(stats.total)
            if let estimated {
                // By status only, every kind together: the estimates are per column.
                let shown = estimated.byStatus.filter { $0.figure.rows > 0 || $0.figure.estimated }
                statuses = shown.map(\.value)
                kinds = [Self.allKinds]
                for (value, figure) in shown { byCell[Self.allKinds, default: [:]][value] = Self.figureText(figure) }
                total = Self.figureText(estimated.total)
            }
            let rows = kinds.map { kind in
                OverviewPage.Row(
                    kind: kind == Self.allKinds ? "(every kind)" : kind.isEmpty ? "(none)" : kind,
                    cells: statuses.map { value in
                        let status = watched.table.status(of: value)
                        return OverviewPage.Cell(
                            count: byCell[kind]?[value],
                            query: DashboardForm.query([
                                ("table", name), ("status", status?.rawValue), ("kind", kind.isEmpty || kind == Self.allKinds ? nil : kind),
                            ]))
                    })
            }
            let state = watchdogs?.state(of: name)
            sections.append(
                OverviewPage.Table(
                    name: name, anchor: DashboardForm.encode(name), tableQuery: DashboardForm.query([("table", name)]), total: total,
                    estimated: estimated.map { _ in "\(total) rows, too many to count exactly on every refresh" },
                    stuckCount: stats.stuckCount == 0 ? nil : stats.stuckCount, threshold: stats.stuckThreshold.compactText,
                    oldestSilent: stats.oldestRunningAge.map { "silent for \($0.ageText)" },
                    finishedLastHour: stats.finishedLastHour.values.reduce(0, +), size: DashboardText.bytes(stats.tableBytes),
                    backlog: Self.backlogText(backlog),
                    watchdog: watchdogText(state), lease: Self.leaseText(lease, now: stats.now), watchdogError: state?.failuresInRow ?? 0 > 0 ? state?.lastError : nil,
                    statuses: statuses, rows: rows, columns: statuses.count + 1, chart: HourlyChart(hourly, id: DashboardForm.encode(name))))
        }
        return page(
            "overview",
            OverviewPage(
                chrome: PageChrome(role: role, table: try table(request).table.name.description, current: .overview, refreshSeconds: 30),
                now: DashboardText.time(now), tables: sections))
    }

    /// How far each count of the purge backlog reads, at most: it stays cheap on any table.
    static let backlogCap = 10_000

    /// How far a status value's count reads on a table too big for exact counts, at most.
    static let statusCountCap = 100_000

    /// The row of a big table's counts, every kind together.
    private static let allKinds = "\u{0}all"

    /// `~1234` for an estimate, `more than 100000` for a count that stopped at its cap.
    static func figureText(_ figure: EstimatedCounts.Figure) -> String {
        figure.estimated ? "~\(figure.rows)" : figure.atLeast ? "more than \(figure.rows)" : String(figure.rows)
    }

    /// The purge backlog in words: rows past retention now, or a lower bound.
    static func backlogText(_ backlog: PurgeBacklog?) -> String {
        guard let backlog else { return "no retention configured" }
        return backlog.capped ? "more than \(backlog.rows) rows past retention (counts stop at \(backlogCap))" : "\(backlog.rows) rows past retention"
    }

    /// Who leads the table's watchdogs, by the lease row any replica keeps.
    static func leaseText(_ lease: WatchLeadership.Holder??, now: Timestamp) -> String {
        guard let found = lease else { return "unknown (no lease table: no watchdog ran here)" }
        guard let holder = found else { return "no watchdog has led yet" }
        let left = holder.expiresAt.microsecondsSinceEpoch - now.microsecondsSinceEpoch
        return left > 0
            ? "\(holder.owner), lease for \(Duration.microseconds(left).ageText) more"
            : "none: \(holder.owner)'s lease expired \(Duration.microseconds(-left).ageText) ago"
    }

    private func watchdogText(_ state: WatchdogBoard.State?) -> String {
        guard watchdogs != nil else { return "not run by this process (taskwarden serve)" }
        guard let state, let last = state.lastCycleAt else { return "no cycle yet" }
        let ago = Duration.seconds(Date().timeIntervalSince(last)).ageText
        if state.failuresInRow > 0 { return "failing (\(state.failuresInRow) cycles in a row), last tried \(ago) ago" }
        return "\(state.isLeader ? "leader" : "follower (another replica leads)"), last cycle \(ago) ago, recovered \(state.lastRecovered)"
    }

    /// `/ui/stuck`: the stuck runs of a table, longest silent first.
    func stuckPage(_ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let name = watched.table.name.description
        let (now, stuck) = try await withRuns(watched) { runs in
            (try DatabaseClock.now(on: runs.connection), try runs.findStuck(policy: watched.stuck, limit: 1_000))
        }
        let rows = stuck.map { run in
            let id = run.id.plainText
            return StuckPage.Run(
                id: id, query: DashboardForm.query([("table", name), ("id", id)]), kind: run.kind ?? "", silentFor: run.silentFor.ageText,
                threshold: run.threshold.compactText, startedAt: DashboardText.time(run.startedAt), heartbeatAt: DashboardText.time(run.heartbeatAt),
                worker: run.worker ?? "", progress: run.progress.map { String(format: "%.0f%%", $0) } ?? "")
        }
        return page(
            "stuck",
            StuckPage(
                chrome: PageChrome(role: role, table: name, current: .stuck, refreshSeconds: 30), tableName: name, now: DashboardText.time(now),
                runs: rows, canRecover: allowsActions && role == .admin && !rows.isEmpty))
    }

    /// `/ui/runs`: the runs browser, newest first, a page at a time (keyset: `before` is the last
    /// id of the previous page).
    func runsPage(_ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let name = watched.table.name.description
        let query = Self.query(request)
        func parameter(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        var filter = RunListFilter()
        let statusText = parameter("status")
        if let statusText {
            guard let status = TaskStatus(rawValue: statusText) else {
                throw DashboardInputError(message: "Unknown status '\(statusText)' (queued, running, succeeded, failed, cancelled).")
            }
            filter.statuses = [status]
        }
        filter.kinds = parameter("kind").map { [$0] } ?? []
        filter.queue = parameter("queue")
        filter.worker = parameter("worker")
        filter.since = try parameter("since").map { try Duration(parsing: $0) }
        filter.beforeID = parameter("before")
        let limit = Self.pageSize
        let asked = filter
        let runs = try await withRuns(watched) { try $0.list(asked, limit: limit + 1) }
        let shown = runs.prefix(limit)
        let rows = shown.map { run in
            let id = run.id.plainText
            return RunsPage.Run(
                id: id, query: DashboardForm.query([("table", name), ("id", id)]), status: run.statusValue, kind: run.kind ?? "",
                queue: run.queue ?? "", worker: run.worker ?? "", startedAt: DashboardText.time(run.startedAt),
                finishedAt: DashboardText.time(run.finishedAt), progress: run.progress.map { String(format: "%.0f%%", $0) } ?? "",
                note: run.note ?? "")
        }
        let filters: [(String, String?)] = [
            ("table", name), ("status", statusText), ("kind", parameter("kind")), ("queue", filter.queue), ("worker", filter.worker),
            ("since", parameter("since")),
        ]
        let more = runs.count > limit ? shown.last.map { DashboardForm.query(filters + [("before", $0.id.plainText)]) } : nil
        return page(
            "runs",
            RunsPage(
                chrome: PageChrome(role: role, table: name, current: .runs), tableName: name,
                statusOptions: TaskStatus.allCases.filter { !watched.table.lacks($0) }.map { .init(value: $0.rawValue, selected: $0.rawValue == statusText) },
                kind: parameter("kind") ?? "", queue: filter.queue ?? "", worker: filter.worker ?? "", since: parameter("since") ?? "", runs: rows,
                moreQuery: more, canChange: allowsActions && role == .admin, filterQuery: DashboardForm.query(filters)))
    }

    /// `/ui/run?id=`: one run as `taskwarden show` tells it.
    func runPage(_ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let name = watched.table.name.description
        guard let id = Self.query(request)["id"], !id.isEmpty else { throw DashboardInputError(message: "Which run? Give id.") }
        guard let detail = try await withRuns(watched, { try $0.show(id: id, policy: watched.stuck) }) else {
            return failure(role, .notFound, "No such run", "No run has id \(id) in \(name).")
        }
        var timeline: [(Timestamp, String)] = []
        if let started = detail.startedAt { timeline.append((started, "started")) }
        if let heartbeat = detail.heartbeatAt { timeline.append((heartbeat, "last heartbeat")) }
        if detail.status == .running, let seen = detail.heartbeatAt ?? detail.startedAt {
            let crossing = seen.adding(microseconds: Int64(detail.threshold.components.seconds) * 1_000_000)
            if crossing <= detail.now { timeline.append((crossing, "silent past the \(detail.threshold.compactText) threshold: counts as stuck")) }
        }
        if let cancel = detail.cancelRequestedAt { timeline.append((cancel, "cancel requested")) }
        if let finished = detail.finishedAt { timeline.append((finished, "finished (\(detail.statusValue))")) }
        for entry in detail.journal ?? [] {
            let change = "\(entry.operation) by \(entry.actor): \(entry.oldStatus ?? "–") → \(entry.newStatus ?? "–")"
            timeline.append((entry.createdAt ?? detail.now, entry.reason.map { "\(change) (\($0))" } ?? change))
        }
        timeline.sort { $0.0 < $1.0 }
        let text = detail.id.plainText
        return page(
            "run",
            RunPage(
                chrome: PageChrome(role: role, table: name, current: .runs), tableName: name, id: text, verdict: detail.stuckVerdict,
                isStuck: detail.isStuck, timeline: timeline.map { .init(time: DashboardText.time($0.0), what: $0.1) },
                values: detail.values.map { .init(role: $0.role.rawValue, column: $0.column, value: $0.value.plainText) },
                parent: detail.parent.map {
                    let parentID = $0.id.plainText
                    return .init(id: parentID, query: DashboardForm.query([("table", name), ("id", parentID)]), status: $0.statusValue ?? "gone")
                },
                journalExists: detail.journal != nil, entries: (detail.journal ?? []).reversed().map { JournalRow($0, table: name) }))
    }

    /// `/ui/journal`: the latest batches (who, why, how many, when, each with its undo) and
    /// journal entries, or one batch's entries.
    func journalPage(_ role: AdminRole, _ request: Request) async throws -> Response {
        let watched = try table(request)
        let name = watched.table.name.description
        let batch = Self.query(request)["batch"].flatMap { $0.isEmpty ? nil : $0 }
        let found: (entries: [JournalEntry], batches: [JournalBatch])?
        do {
            found = try await withRuns(watched) { runs in
                // The batches only on the page of all changes: one batch's page lists its entries.
                (try runs.journal(batchID: batch, limit: 200, newestFirst: batch == nil), batch == nil ? try runs.journalBatches(limit: 100) : [])
            }
        } catch let error as MaintenanceError where error.kind == .journalMissing {
            found = nil
        }
        let canUndo = allowsActions && role == .admin
        let batches = (found?.batches ?? []).map { JournalBatchRow($0, table: name) }
        return page(
            "journal",
            JournalPage(
                chrome: PageChrome(role: role, table: name, current: .journal), batch: batch, journalExists: found != nil,
                entries: (found?.entries ?? []).map { JournalRow($0, table: name) }, batches: batches, hasBatches: !batches.isEmpty,
                canUndo: canUndo, canUndoBatch: canUndo && batch != nil && !(found?.entries.isEmpty ?? true),
                undoQuery: DashboardForm.query([("table", name), ("batch", batch)])))
    }
}
