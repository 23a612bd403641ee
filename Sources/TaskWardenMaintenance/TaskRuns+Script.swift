import TaskWardenCore
import TaskWardenSQL

extension TaskRuns {
    /// The script of what `body` would change, and the client preamble it starts with (its
    /// `sql/script/preamble`), changing nothing: `body` runs these operations
    /// against a ``ScriptingConnection`` over this session.
    ///
    /// Reads reach the database, so the script's batches, cutoffs and parents are those of the
    /// table now; every statement that would change it goes into the script instead, with its
    /// values written in.
    package func script(_ body: (TaskRuns) throws -> Void) throws -> (script: SQLScript, preamble: String) {
        let recorder = ScriptingConnection(recording: connection)
        try body(TaskRuns(connection: recorder, table: table, actor: actor))
        let wait = connection.clientLockWait.map { Int($0.seconds * 1_000) } ?? 0
        let preamble = try SQL.Script.Preamble(busyTimeoutMilliseconds: wait).render(for: dialect).sql
        return (recorder.script, preamble)
    }
}
