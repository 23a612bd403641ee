import TaskWardenCore

extension TaskRuns {
    /// The script of what `body` would change, changing nothing: `body` runs these operations
    /// against a ``ScriptingConnection`` over this session.
    ///
    /// Reads reach the database, so the script's batches, cutoffs and parents are those of the
    /// table now; every statement that would change it goes into the script instead, with its
    /// values written in.
    package func script(_ body: (TaskRuns) throws -> Void) throws -> SQLScript {
        let recorder = ScriptingConnection(recording: connection)
        try body(TaskRuns(connection: recorder, table: table, actor: actor))
        return recorder.script
    }
}
