import TaskWardenCore

/// The session setting an undo's pages run with: the purge's (``PurgeSessionSettings``) on
/// SQLite, nothing elsewhere.
///
/// On SQLite that is the purge's 8 MiB page cache (`sql/purge/session.sqlite.sql`) instead of
/// the default 2 MiB: one page of 5 000 restores reads its journal entries and changes their
/// runs, their indexes and 5 000 new entries, more pages than 2 MiB holds, so SQLite would write
/// some out and read them back within the page. Measured on an undo of 1 M runs: 1.6–2 s less
/// system time, 0.4 s more user time. PostgreSQL and MySQL change nothing: MySQL stays at
/// REPEATABLE READ, where the journal's `INSERT ... SELECT` reads the rows `lock.mysql.sql`
/// locked (at READ COMMITTED, the purge's level, it would read a snapshot instead).
enum UndoSessionSettings {
    /// Runs `body` with the undo's setting, and the caller's back afterwards, on success and on
    /// error.
    static func with<T>(on connection: any DatabaseConnection, _ body: () throws -> T) throws -> T {
        guard connection.dialect.backend == .sqlite else { return try body() }
        return try PurgeSessionSettings.with(on: connection, body)
    }
}
