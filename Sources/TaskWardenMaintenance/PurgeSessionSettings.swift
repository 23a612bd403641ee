import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// The session settings a purge runs with, and the caller's settings it puts back afterwards.
///
/// A purge runs on the caller's connection, which may go on working after it: what the purge
/// changes for its own sake (`sql/purge/session.<dialect>.sql`) is read first and restored
/// when the purge ends, whether it succeeded or failed. MySQL reads committed data without gap
/// locks (REPEATABLE READ would lock the gaps around each batch's range until it commits, and
/// block workers inserting next to it); SQLite gets a larger page cache for one batch's pages.
/// PostgreSQL needs nothing: READ COMMITTED is its default and takes no gap locks.
public struct PurgeSessionSettings: Sendable {
    /// What to put back: the setting's previous value, per backend.
    private enum Previous: Sendable {
        case nothing
        case isolation(DatabaseValue)
        case cacheSize(Int)
    }

    private let previous: Previous

    /// Reads the settings the purge changes, then applies the purge's.
    public static func apply(on connection: any DatabaseConnection) throws -> PurgeSessionSettings {
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
            previous = .cacheSize(try read?.decode(Int.self, .previous) ?? -2_000)
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
        case .cacheSize(let pages):
            try connection.execute(SQL.Purge.RestoreCacheSize(pages: pages))
        }
    }

    /// Runs `body` with the purge's settings, and the caller's back afterwards, on success and
    /// on error (an error of `body` wins over one of the restore).
    static func with<T>(on connection: any DatabaseConnection, _ body: () throws -> T) throws -> T {
        let settings = try apply(on: connection)
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
