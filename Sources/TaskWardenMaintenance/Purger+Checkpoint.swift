import TaskWardenCore
import TaskWardenSQL

/// SQLite's write-ahead log under a purge: copied into the database before each batch's write,
/// so that the log starts over rather than growing for the whole purge.
extension Purger {
    /// How many times ``checkpointBeforeWrite()`` runs the checkpoint at most, before a batch.
    static let checkpointAttempts = 4

    /// Copies the SQLite write-ahead log into the database file before a batch's write, so that
    /// the write starts the log over (`checkpoint.sql`); nothing on the other backends.
    ///
    /// SQLite restarts the log only in a write that begins when all of it has been copied. The
    /// checkpoint after each commit copies the batch, but a worker writing meanwhile leaves pages
    /// after it, and then every later write appended: the log and its wal-index, mapped into
    /// every connection's memory, grew for the whole purge (7 GB and 14 MB after 120 s at 10 M
    /// rows). So the checkpoint runs again until no page was added since the last run, a few
    /// times at most; with nothing to copy, a run takes microseconds. A checkpoint that fails is
    /// left out: it only saves space, and leaves the log as SQLite's own checkpoints would.
    func checkpointBeforeWrite() throws {
        guard SQL.Purge.Checkpoint.backends.contains(connection.backend) else { return }
        var copiedLog: Int?
        for _ in 0..<Self.checkpointAttempts {
            guard let row = (try? connection.query(SQL.Purge.Checkpoint()))?.first?.raw else { return }
            let busy = try row.decode(Int.self, "busy")
            let log = try row.decode(Int.self, "log")
            let checkpointed = try row.decode(Int.self, "checkpointed")
            // -1: the database is not in WAL mode; 0: the log is empty.
            guard log > 0 else { return }
            let copied = busy == 0 && checkpointed == log
            if copied, log == copiedLog { return }
            copiedLog = copied ? log : nil
        }
    }
}
