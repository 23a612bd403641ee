import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// One row of the journal: a status TaskWarden changed.
public struct JournalEntry: Sendable, Hashable {
    public let id: Int64
    public let targetTable: String
    public let runID: String
    public let operation: JournalOperation
    public let oldStatus: String?
    public let newStatus: String?
    public let batchID: String
    public let reason: String?
    /// The other columns the change overwrote, as they were.
    public let oldValues: [String: DatabaseValue]
    public let actor: String
    public let createdAt: Timestamp?

    init(row: Row) throws {
        id = try row.decode(Int64.self, "id")
        targetTable = try row.decode(String.self, "target_table")
        runID = try row.decode(String.self, "run_id")
        operation = JournalOperation(stored: try row.decode(String.self, "operation"))
        oldStatus = try row.decode(String?.self, "old_status")
        newStatus = try row.decode(String?.self, "new_status")
        batchID = try row.decode(String.self, "batch_id")
        reason = try row.decode(String?.self, "reason")
        oldValues = JournalValues.decode(try row.decode(String?.self, "old_values"))
        actor = try row.decode(String.self, "actor")
        createdAt = try row.decode(Timestamp?.self, "created_at")
    }
}

extension TaskRuns {
    /// How many entries `journal` lists unless told otherwise.
    public static let journalListingLimit = 10_000

    /// Journal entries, oldest first (the latest `limit`, newest first, with `newestFirst`):
    /// those of `batchID`, or those since `since`; at most `limit`.
    public func journal(batchID: String? = nil, since: Timestamp? = nil, limit: Int = journalListingLimit, newestFirst: Bool = false) throws -> [JournalEntry] {
        try journal(batchID: batchID, since: since, run: nil, limit: limit, newestFirst: newestFirst)
    }

    /// Every journal entry of one run of `table` (its id as the journal keeps it), oldest first.
    func journal(ofRun runID: String, in table: TaskTable, limit: Int = journalListingLimit) throws -> [JournalEntry] {
        try journal(batchID: nil, since: nil, run: (table.name.description, runID), limit: limit)
    }

    private func journal(batchID: String?, since: Timestamp?, run: (table: String, id: String)?, limit: Int, newestFirst: Bool = false) throws -> [JournalEntry] {
        var statement = SQL.Journal.Select(
            batchId: batchID.map(DatabaseValue.text) ?? .null, since: since.map(DatabaseValue.timestamp) ?? .null,
            targetTable: run.map { .text($0.table) } ?? .null, runId: run.map { .text($0.id) } ?? .null,
            limit: .integer(Int64(limit)), byBatch: batchID != nil, byTime: since != nil, byRun: run != nil)
        statement.newestFirst = newestFirst
        // A read: no transaction, so on SQLite it does not take the write lock from workers.
        return try needingJournal { try connection.query(statement).map { try JournalEntry(row: $0.raw) } }
    }
}
