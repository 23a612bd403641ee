import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// The session settings a purge runs with, and the caller's settings it puts back afterwards.
///
/// A purge runs on the caller's connection, which may go on working after it: what the purge
/// changes for its own sake (`sql/purge/session.<dialect>.sql`) is read first and restored
/// when the purge ends, whether it succeeded or failed. MySQL reads committed data without gap
/// locks (REPEATABLE READ would lock the gaps around each batch's range until it commits, and
/// block workers inserting next to it); SQLite gets a larger page cache for one batch's pages,
/// and, when asked (``apply(on:syncingCommits:)``), commits that do not sync the log.
/// PostgreSQL needs nothing: READ COMMITTED is its default and takes no gap locks, and its
/// batches set their commits' sync in their own transactions.
public struct PurgeSessionSettings: Sendable {
    /// What to put back: the setting's previous value, per backend.
    private enum Previous: Sendable {
        case nothing
        case isolation(DatabaseValue)
        /// SQLite's page cache size, and its sync level when the purge changed it.
        case sqlite(cacheSize: Int, synchronous: Int?)
    }

    private let previous: Previous

    /// Reads the settings the purge changes, then applies the purge's.
    ///
    /// - Parameter syncingCommits: `false` lets SQLite commit without syncing its log
    ///   (`sql/purge/relaxed_sync.sqlite.sql`): for batches whose loss in a crash is harmless.
    public static func apply(on connection: any DatabaseConnection, syncingCommits: Bool = true) throws -> PurgeSessionSettings {
        let dialect = connection.dialect
        let previous: Previous
        switch dialect.backend {
        case .postgresql:
            return PurgeSessionSettings(previous: .nothing)
        case .mysql:
            let read = try connection.query(SQL.Purge.SessionRead(mariadb: dialect.isMariaDB)).first
            previous = .isolation(read?.previous ?? .null)
        case .sqlite:
            let read = try connection.query(SQL.Purge.SessionRead()).first
            let synchronous = syncingCommits ? nil : try read?.decode(Int.self, .synchronous)
            previous = .sqlite(cacheSize: try read?.decode(Int.self, .previous) ?? -2_000, synchronous: synchronous)
            if synchronous != nil { try connection.execute(SQL.Purge.RelaxedSync()) }
        }
        try connection.execute(SQL.Purge.Session())
        return PurgeSessionSettings(previous: previous)
    }

    /// Puts back the settings ``apply(on:)`` found.
    public func restore(on connection: any DatabaseConnection) throws {
        switch previous {
        case .nothing:
            break
        case .isolation(let value):
            try connection.execute(SQL.Purge.RestoreIsolation(previous: value, mariadb: connection.dialect.isMariaDB))
        case .sqlite(let pages, let synchronous):
            try connection.execute(SQL.Purge.RestoreCacheSize(pages: pages))
            if let synchronous { try connection.execute(SQL.Purge.RestoreSync(level: synchronous)) }
        }
    }

    /// Runs `body` with the purge's settings, and the caller's back afterwards, on success and
    /// on error (an error of `body` wins over one of the restore).
    static func with<T>(on connection: any DatabaseConnection, syncingCommits: Bool = true, _ body: () throws -> T) throws -> T {
        let settings = try apply(on: connection, syncingCommits: syncingCommits)
        let result: T
        do {
            result = try body()
        } catch {
            try? settings.restore(on: connection)
            throw error
        }
        try settings.restore(on: connection)
        return result
    }
}
