import Foundation
import TaskWardenCore
import TaskWardenLocking

/// How a ``Migrator`` locks, waits and records.
public struct MigratorOptions: Sendable {
    /// How the migration lock is held. By default (`.auto`) a session lock, or a lease when
    /// a pooler or proxy relays the connection. Ignored on SQLite, which serializes with
    /// `BEGIN IMMEDIATE` unless `.lease` is asked for.
    public var lockMode: DatabaseLockMode = .auto
    /// How long to wait for another process's migration lock before giving up.
    public var lockTimeout: Duration = .seconds(300)
    /// How long one statement waits for a table lock (PostgreSQL `lock_timeout`, MySQL
    /// `lock_wait_timeout`); `nil` for the server's setting. SQLite uses the URL's busy timeout.
    public var ddlLockTimeout: Duration? = .seconds(10)
    /// How long one statement may run (PostgreSQL `statement_timeout`); `nil` for no limit.
    public var statementTimeout: Duration?
    /// The lock's name, shared by every set: one migration run per database at a time.
    public var lockName = "taskwarden.migrate"
    /// Recorded in the history as who applied each migration.
    public var host = ProcessInfo.processInfo.hostName
    public var toolVersion = TaskWardenVersion.current

    public init() {}
}
