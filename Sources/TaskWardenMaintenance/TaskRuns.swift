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
/// ```swift
/// let runs = TaskRuns(connection: db)                       // TaskWarden's own task_runs
/// let stuck = try runs.findStuck(policy: StuckPolicy(defaultThreshold: .seconds(600)))
/// let result = try runs.recover(RecoverOptions(policy: .init(defaultThreshold: .seconds(600))))
/// ```
public struct TaskRuns {
    public let connection: any DatabaseConnection
    public let table: TaskTable
    /// Who is recorded in the journal as having made the changes.
    public let actor: String

    public init(connection: any DatabaseConnection, table: TaskTable = .taskRuns, actor: String = TaskRuns.defaultActor()) {
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

    /// A run's id as the journal stores it.
    static func text(of id: DatabaseValue) -> String {
        String.fromDatabaseValue(id) ?? id.description
    }
}
