import TaskWardenCore
import TaskWardenSQL

/// The session setting an undo's pages run with, and the caller's put back afterwards.
///
/// On SQLite, the purge's 8 MiB page cache (`sql/purge/session.sqlite.sql`) instead of the
/// default 2 MiB: one page of 5 000 restores reads its journal entries and changes their runs,
/// their indexes and 5 000 new entries, more pages than 2 MiB holds, so SQLite would write some
/// out and read them back within the page. Measured on an undo of 1 M runs: 1.6–2 s less system
/// time, 0.4 s more user time. PostgreSQL and MySQL change nothing: MySQL stays at
/// REPEATABLE READ, where the journal's `INSERT ... SELECT` reads the rows `lock.mysql.sql`
/// locked (at READ COMMITTED it would read a snapshot instead).
struct UndoSessionSettings {
    /// The page cache size to put back; `nil` when nothing was changed.
    private let previousCacheSize: Int?

    /// Runs `body` with the undo's setting, and the caller's back afterwards, on success and on
    /// error (an error of `body` wins over one of the restore).
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

    private static func apply(on connection: any DatabaseConnection) throws -> UndoSessionSettings {
        guard connection.dialect.backend == .sqlite else { return UndoSessionSettings(previousCacheSize: nil) }
        let previous = try connection.query(SQL.Purge.SessionRead()).first?.decode(Int.self, .previous) ?? -2_000
        try connection.execute(SQL.Purge.Session())
        return UndoSessionSettings(previousCacheSize: previous)
    }

    private func restore(on connection: any DatabaseConnection) throws {
        guard let previousCacheSize else { return }
        try connection.execute(SQL.Purge.RestoreCacheSize(pages: previousCacheSize))
    }
}
