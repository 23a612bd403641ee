import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// The maintenance operations on one task table: find stuck runs, recover them, reset runs in
/// bulk, undo a batch, read the journal, count.
///
/// Every change is journaled in `task_run_events` (created by `taskwarden migrate`) in the same
/// transaction as the change, and re-checks its condition in the statement that makes it, so a
/// run that finished or sent a heartbeat a moment ago is never overwritten.
///
/// Operations reach the database through a ``DatabaseAccess``, which lends them one session for
/// their whole length (a maintenance operation's settings, locks and batches belong together):
///
/// ```swift
/// let queue = try await DatabaseDrivers.queue(url)
/// let result = try await queue.withTaskRuns { runs in                // TaskWarden's own task_runs
///     try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600))))
/// }
/// ```
public struct TaskRuns {
    /// The session the operations run in, lent for the length of ``DatabaseAccess/withTaskRuns(table:actor:retry:_:)``.
    public let connection: any DatabaseConnection
    public let table: TaskTable
    /// Who is recorded in the journal as having made the changes.
    public let actor: String
    /// Run first inside every transaction that changes runs; throwing rolls the batch back.
    ///
    /// The watchdog's fencing: it checks, and locks, the leader's lease row, so that a leader
    /// deposed while it worked (its lease expired and was taken over) has its next batch refused
    /// instead of acting beside the new leader, and a takeover waits for a batch in flight.
    package var fence: ((any DatabaseConnection) throws -> Void)?

    /// Operations on `connection`, for code that already holds one inside a ``DatabaseAccess``
    /// closure (tests, ``Doctor``); everything else starts from `withTaskRuns`.
    package init(connection: any DatabaseConnection, table: TaskTable = .taskRuns, actor: String = TaskRuns.defaultActor()) {
        self.connection = connection
        self.table = table
        self.actor = actor
    }

    /// The OS user running this process.
    public static func defaultActor() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }

    var dialect: SQLDialect { connection.dialect }

    /// The names statements are rendered with for `table` (this table unless given): its
    /// mapping, and the parent key when it is this table and has a parent.
    func names(for table: TaskTable? = nil) -> [String: SQLIdentifier] {
        let table = table ?? self.table
        var identifiers = table.identifiers
        if table.name == self.table.name, let parent = self.table.parent { identifiers["parent_key"] = parent.key }
        return identifiers
    }
}

extension DatabaseAccess {
    /// Runs `body` with the maintenance operations on `table`, all in one session.
    ///
    /// The operations re-check their conditions in the statements that make their changes,
    /// but a bulk change is not something to re-run behind the operator's back: by default
    /// nothing is retried (``RetryPolicy/never``).
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func withTaskRuns<T>(
        table: TaskTable = .taskRuns, actor: String = TaskRuns.defaultActor(), retry: RetryPolicy = .never, _ body: (TaskRuns) throws -> T
    ) throws -> T {
        try withConnection(retry: retry) { connection in
            try body(TaskRuns(connection: connection, table: try table.fillingColumnsByName(on: connection), actor: actor))
        }
    }

    /// ``withTaskRuns(table:actor:retry:_:)`` from `async` code: the operations run on the
    /// connection's own thread.
    public func withTaskRuns<T: Sendable>(
        table: TaskTable = .taskRuns, actor: String = TaskRuns.defaultActor(), retry: RetryPolicy = .never,
        _ body: @Sendable (TaskRuns) throws -> T
    ) async throws -> T {
        try await withConnection(retry: retry) { connection in
            try body(TaskRuns(connection: connection, table: try table.fillingColumnsByName(on: connection), actor: actor))
        }
    }
}
