/// A connection that reads from the database but writes a script instead of changing it: what
/// an operation runs against for `--show-sql`.
///
/// The operation runs as it would, with its plain reads (bounds of batches, the runs a parent
/// follows, the clock) answered by the real session, so the script holds the statements it
/// would have run, batch by batch, with the values it would have bound, as of now. Nothing it
/// writes reaches the database: every statement that is not a plain read (``SQLEffect``)
/// goes into ``script`` and is never run, and so do the plain reads inside its transactions,
/// which belong to the change.
///
/// A locking read (`SELECT ... FOR UPDATE`, MySQL's lock of a batch or of an undo's page) is
/// recorded, not run: run, it would take the rows' locks, or wait for another session's, for
/// a script that changes nothing. It is answered by the same read without its lock where the
/// clause comes off (so the operation sees the rows it would lock), else with no rows; no
/// operation uses more of it (the batch's own statements re-read what they change). A query
/// that writes (PostgreSQL's purge of several statuses in one `WITH ... DELETE ... RETURNING`)
/// is recorded and answered with no rows.
///
/// A statement that changes rows reports one changed row. The operations only compare such
/// counts with each other (a journal entry per change) or test them for zero, and since nothing
/// changes, the reads that drive their walks move on by key rather than by what was deleted,
/// so every walk ends where the real one would.
package final class ScriptingConnection: DatabaseConnection {
    /// The session the reads go to; it is not closed by ``close()``.
    package let base: any DatabaseConnection
    package private(set) var script: SQLScript
    private var transactionDepth = 0

    package init(recording base: any DatabaseConnection) {
        self.base = base
        self.script = SQLScript(dialect: base.dialect, sessionSetup: base.sessionSetup)
    }

    package var url: DatabaseURL { base.url }
    package var dialect: SQLDialect { base.dialect }
    package var serverVersion: String { base.serverVersion }
    package var isClosed: Bool { base.isClosed }
    package var clientLockWait: Duration? { base.clientLockWait }
    package var sessionSetup: [String] { base.sessionSetup }
    package var isRelayed: Bool { base.isRelayed }

    @discardableResult
    package func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int {
        try script.append(sql, parameters)
        switch sql.uppercased() {
        case dialect.beginTransactionSQL.uppercased(): transactionDepth += 1
        case "COMMIT", "ROLLBACK": transactionDepth = max(transactionDepth - 1, 0)
        default: break
        }
        return 1
    }

    package func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] {
        switch SQLEffect(of: sql, on: dialect.backend) {
        case .read:
            if transactionDepth > 0 { try script.append(sql, parameters) }
            return try base.query(sql, parameters)
        case .lockingRead(let unlocked):
            try script.append(sql, parameters)
            return try unlocked.map { try base.query($0, parameters) } ?? []
        case .write:
            try script.append(sql, parameters)
            return []
        }
    }

    package func ping() throws { try base.ping() }

    package func close() {}
}
