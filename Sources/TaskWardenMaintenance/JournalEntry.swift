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
        try journal(batchID: batchID, since: since, table: nil, limit: limit, newestFirst: newestFirst)
    }

    /// The first `limit` entries of batch `batchID` in each of `tables` in turn, oldest first
    /// in each.
    ///
    /// Each table's entries are a range of the (batch_id, target_table, id) index, read up to
    /// the limit; the oldest entries of a batch across its tables would be a sort of all of
    /// them, a million for a batch of a million runs.
    func journal(batchID: String, tables: [String], limit: Int) throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        for table in tables where entries.count < limit {
            entries += try journal(batchID: batchID, since: nil, table: table, limit: limit - entries.count)
        }
        return entries
    }

    /// Every journal entry of one run of `table` (its id as the journal keeps it), oldest first.
    func journal(ofRun runID: String, in table: TaskTable, limit: Int = journalListingLimit) throws -> [JournalEntry] {
        try journal(batchID: nil, since: nil, table: table.name.description, run: runID, limit: limit)
    }

    /// Every journal entry of `batchID`, or since `since`, handed to `body` a page at a time.
    ///
    /// The full list of a bulk change: memory stays that of one page however many runs the
    /// batch changed. Each page is a keyset read after the last id seen; a batch is read one
    /// table at a time, in the order the batch first wrote to them, oldest first in each,
    /// so every page is a range of the (batch_id, target_table, id) index.
    public func forEachJournalEntry(
        batchID: String? = nil, since: Timestamp? = nil, pageSize: Int = 1_000, _ body: (JournalEntry) throws -> Void
    ) throws {
        guard let batchID else {
            return try forEachPage(pageSize, body) { try journal(batchID: nil, since: since, table: nil, after: $0, limit: pageSize) }
        }
        let tables = try needingJournal { try connection.query(SQL.Undo.BatchTables(batchId: .text(batchID))) }
            .map { (name: try $0.decode(String.self, .targetTable), first: try $0.decode(Int64.self, .firstId)) }
            .sorted { $0.first < $1.first }.map(\.name)
        for table in tables {
            try forEachPage(pageSize, body) { try journal(batchID: batchID, since: since, table: table, after: $0, limit: pageSize) }
        }
    }

    private func forEachPage(_ pageSize: Int, _ body: (JournalEntry) throws -> Void, page read: (Int64?) throws -> [JournalEntry]) throws {
        var after: Int64?
        while true {
            let page = try read(after)
            try page.forEach(body)
            guard page.count == pageSize, let last = page.last else { return }
            after = last.id
        }
    }

    private func journal(
        batchID: String?, since: Timestamp?, table: String? = nil, run: String? = nil, after: Int64? = nil, limit: Int,
        newestFirst: Bool = false
    ) throws -> [JournalEntry] {
        var statement = SQL.Journal.Select(
            batchId: batchID.map(DatabaseValue.text) ?? .null, since: since.map(DatabaseValue.timestamp) ?? .null,
            targetTable: table.map(DatabaseValue.text) ?? .null, runId: run.map(DatabaseValue.text) ?? .null,
            afterId: after.map(DatabaseValue.integer) ?? .null, limit: .integer(Int64(limit)),
            byBatch: batchID != nil, byTime: since != nil, byTable: table != nil, byRun: run != nil, paged: after != nil)
        statement.newestFirst = newestFirst
        // A read: no transaction, so on SQLite it does not take the write lock from workers.
        return try needingJournal { try connection.query(statement).map { try JournalEntry(row: $0.raw) } }
    }
}
