import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension TaskRuns {
    /// The script of what `body` would change, as `taskwarden <command> --show-sql` prints it,
    /// changing nothing: `body` runs these operations against a ``ScriptingConnection`` over
    /// this session.
    ///
    /// Plain reads reach the database, so the script's batches, cutoffs and parents are those of
    /// the table now; every statement that would change it, and every locking read, goes into
    /// the script instead, with its values written in. The header names the database by
    /// `database`, redacted, where it is given (the CLI); a page leaves it out.
    package func script(_ command: String, database: DatabaseURL? = nil, _ body: (TaskRuns) throws -> Void) throws -> ChangeScript {
        let recorder = ScriptingConnection(recording: connection)
        try body(TaskRuns(connection: recorder, table: table, actor: actor))
        let wait = connection.clientLockWait.map { Int($0.seconds * 1_000) } ?? 0
        let preamble = try SQL.Script.Preamble(busyTimeoutMilliseconds: wait).render(for: dialect).sql
        let client =
            switch dialect.backend {
            case .postgresql: "psql \"$DATABASE_URL\" -f FILE"
            case .mysql: "mariadb --host=... --user=... DATABASE < FILE"
            case .sqlite: "sqlite3 DATABASE_FILE < FILE"
            }
        let now = (try? DatabaseClock.now(on: connection))?.iso8601 ?? "now"
        let header = [
            "The statements 'taskwarden \(command)' would run on table \(table.name)\(database.map { " of \($0.redacted)" } ?? "")"
                + " (\(dialect) \(connection.serverVersion)),",
            "as of \(now): nothing was changed. Run it with: \(client)",
            "Its batches, cutoffs, ids and times are those of the table and the clock at that moment;",
            "runs that changed since are left alone by the conditions each statement repeats.",
        ]
        return ChangeScript(command: command, script: recorder.script, header: header, preamble: preamble)
    }
}
