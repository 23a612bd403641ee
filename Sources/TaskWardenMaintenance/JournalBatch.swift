import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// One batch of the journal, summed up: who changed how many runs, how, why and when.
public struct JournalBatch: Sendable, Hashable {
    public let batchID: String
    public let operation: JournalOperation
    public let actor: String
    public let reason: String?
    /// Its entries among those read (one per run changed).
    public let entries: Int
    public let startedAt: Timestamp?
}

extension TaskRuns {
    /// How many of the latest journal entries ``journalBatches(limit:window:)`` reads unless told.
    public static let journalBatchWindow = 100_000

    /// The latest batches of this table (and its parent), newest first, at most `limit`.
    ///
    /// Read from the latest `window` entries only (`sql/journal/batches.sql`, by the primary
    /// key), so the journal page stays cheap however long the journal grows; a batch older than
    /// that is still listed by `journal(batchID:)` and undone by id.
    public func journalBatches(limit: Int = 100, window: Int = journalBatchWindow) throws -> [JournalBatch] {
        let tables = [table.name.description] + (table.parent.map { [$0.table.name.description] } ?? [])
        let statement = SQL.Journal.Batches(
            window: .integer(Int64(window)), targetTables: tables.map(DatabaseValue.text), limit: .integer(Int64(limit)))
        return try needingJournal {
            try connection.query(statement).map { row in
                JournalBatch(
                    batchID: try row.decode(String.self, .batchId), operation: JournalOperation(stored: try row.decode(String.self, .operation)),
                    actor: try row.decode(String.self, .actor), reason: try row.decode(String?.self, .reason), entries: try row.decode(Int.self, .n),
                    startedAt: try row.raw.decode(Timestamp?.self, "first_at"))
            }
        }
    }
}
