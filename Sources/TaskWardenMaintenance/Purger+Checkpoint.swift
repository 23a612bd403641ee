import TaskWardenCore
import TaskWardenSQL

/// SQLite's write-ahead log under a purge: copied into the database before each batch's write,
/// so that the log starts over rather than growing for the whole purge.
extension Purger {
    /// How many times ``checkpointBeforeWrite()`` runs the checkpoint at most, before a batch.
    static let checkpointAttempts = 4

    /// Copies the SQLite write-ahead log into the database file before a batch's write
    /// transaction, so that the batch starts the log over rather than appending to it
    /// (`sql/purge/checkpoint.sqlite.sql`); nothing on the other backends.
    ///
    /// SQLite starts the log over only in a write that begins when the whole log has been
    /// copied into the database file. The checkpoint SQLite runs after each commit copies the
    /// batch's pages, but a worker that writes meanwhile leaves its pages after them, and then
    /// every later write appends: the log, and the wal-index that every connection maps into
    /// its memory, grew for the whole purge (7 GB and 14 MB after 120 s at 10 M rows). So the
    /// checkpoint runs again until the log holds no page it has not copied and none was added
    /// since the previous run (a worker's write in between): each run copies only those pages,
    /// and a run with nothing to copy takes microseconds. Whoever writes next, the batch or the
    /// worker, then starts the log over; a worker's write that began before the last run may
    /// still append, which the next batch's checkpoint repairs.
    ///
    /// A checkpoint that fails is left out: it only saves space, and leaves the log as SQLite's
    /// own checkpoints would.
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
