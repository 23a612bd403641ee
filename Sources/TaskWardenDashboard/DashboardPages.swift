import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance

// What the templates render: plain values, every one a string or number the template escapes.
// Links are built here, their query values percent-encoded.

/// The header and footer every signed-in page shares.
struct PageChrome {
    enum Current { case overview, stuck, runs, journal, retention }
    let signedIn = true
    let roleText: String
    let tableQuery: String
    let onOverview: Bool
    let onStuck: Bool
    let onRuns: Bool
    let onJournal: Bool
    let onRetention: Bool
    let refreshSeconds: Int?
    let version = TaskWardenVersion.current

    init(role: AdminRole, table: String?, current: Current?, refreshSeconds: Int? = nil) {
        roleText = role == .admin ? "operator (admin token)" : "viewer (read token, read-only)"
        tableQuery = DashboardForm.query([("table", table)])
        onOverview = current == .overview
        onStuck = current == .stuck
        onRuns = current == .runs
        onJournal = current == .journal
        onRetention = current == .retention
        self.refreshSeconds = refreshSeconds
    }
}

struct LoginPage {
    let chrome: PageChrome?
    let message: String?
}

struct ErrorPage {
    let chrome: PageChrome?
    let heading: String
    let message: String
}

struct OverviewPage {
    struct Cell {
        /// The count as shown: exact, `~` estimated, or `more than` a cap; `nil`: none.
        let count: String?
        let query: String
    }
    struct Row {
        let kind: String
        let cells: [Cell]
    }
    struct Table {
        let name: String
        let anchor: String
        let tableQuery: String
        /// Exact, or `~` estimated, or `more than` a cap (a big table).
        let total: String
        /// Why the counts are estimates, on a big table; `nil` when they are exact.
        let estimated: String?
        let stuckCount: Int?
        let threshold: String
        let oldestSilent: String?
        let finishedLastHour: Int
        let size: String
        /// Rows past retention now: what the next purge would delete.
        let backlog: String
        let watchdog: String
        /// Who leads the table's watchdogs, from the lease row (any process).
        let lease: String
        let watchdogError: String?
        let statuses: [String]
        let rows: [Row]
        let columns: Int
        let chart: HourlyChart
    }
    let chrome: PageChrome
    let now: String
    let tables: [Table]
}

struct StuckPage {
    struct Run {
        let id: String
        let query: String
        let kind: String
        let silentFor: String
        let threshold: String
        let startedAt: String
        let heartbeatAt: String
        let worker: String
        let progress: String
    }
    let chrome: PageChrome
    let tableName: String
    let now: String
    let runs: [Run]
    /// An operator may recover them here.
    let canRecover: Bool
}

struct RunsPage {
    struct Option {
        let value: String
        let selected: Bool
    }
    struct Run {
        let id: String
        let query: String
        let status: String
        let kind: String
        let queue: String
        let worker: String
        let startedAt: String
        let finishedAt: String
        let progress: String
        let note: String
    }
    let chrome: PageChrome
    let tableName: String
    let statusOptions: [Option]
    let kind: String
    let queue: String
    let worker: String
    let since: String
    let runs: [Run]
    let moreQuery: String?
    /// An operator may change runs from here: ticked, or all the filter matches.
    let canChange: Bool
    /// The filter, for the links that act on everything it matches.
    let filterQuery: String
}

struct JournalRow {
    let createdAt: String
    let operation: String
    let runID: String
    let runQuery: String
    let oldStatus: String
    let newStatus: String
    let batchID: String
    let batchQuery: String
    let actor: String
    let reason: String

    init(_ entry: JournalEntry, table: String) {
        createdAt = DashboardText.time(entry.createdAt)
        operation = entry.operation.description
        runID = entry.runID
        runQuery = DashboardForm.query([("table", table), ("id", entry.runID)])
        oldStatus = entry.oldStatus ?? "–"
        newStatus = entry.newStatus ?? "–"
        batchID = entry.batchID
        batchQuery = DashboardForm.query([("table", table), ("batch", entry.batchID)])
        actor = entry.actor
        reason = entry.reason ?? ""
    }
}

/// A journal batch, as the journal page lists it.
struct JournalBatchRow {
    let startedAt: String
    let operation: String
    let entries: Int
    let actor: String
    let reason: String
    let batchID: String
    let batchQuery: String

    init(_ batch: JournalBatch, table: String) {
        startedAt = DashboardText.time(batch.startedAt)
        operation = batch.operation.description
        entries = batch.entries
        actor = batch.actor
        reason = batch.reason ?? ""
        batchID = batch.batchID
        batchQuery = DashboardForm.query([("table", table), ("batch", batch.batchID)])
    }
}

struct JournalPage {
    let chrome: PageChrome
    let batch: String?
    let journalExists: Bool
    let entries: [JournalRow]
    /// The latest batches (on the page of all changes, not of one batch).
    let batches: [JournalBatchRow]
    let hasBatches: Bool
    /// An operator may undo a batch here.
    let canUndo: Bool
    /// On one batch's page: an operator may undo it.
    let canUndoBatch: Bool
    let undoQuery: String
}

struct RunPage {
    struct Value {
        let role: String
        let column: String
        let value: String
    }
    struct Event {
        let time: String
        let what: String
    }
    struct Parent {
        let id: String
        let query: String
        let status: String
    }
    let chrome: PageChrome
    let tableName: String
    let id: String
    let verdict: String
    let isStuck: Bool
    let timeline: [Event]
    let values: [Value]
    let parent: Parent?
    let journalExists: Bool
    let entries: [JournalRow]
}
