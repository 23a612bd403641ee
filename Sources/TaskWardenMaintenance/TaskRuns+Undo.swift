import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// A run an undo left alone: it moved on since the batch (or is gone).
public struct LeftAloneRun: Sendable, Hashable {
    public let table: String
    public let runID: String
    /// The status the batch set.
    public let batchStatus: String?
    /// Its status now; `nil` when the run is gone.
    public let currentStatus: String?
}

/// The runs an undo left alone: how many, and a sample.
public struct LeftAloneRuns: Sendable {
    public let count: Int
    /// At most ``BulkOptions/sampleSize`` of them, in journal order.
    public let sample: [LeftAloneRun]
    public var isEmpty: Bool { count == 0 }
}

/// What `undo` did (or, in a dry run, would do): counts and samples, however large the batch.
public struct UndoResult: Sendable {
    /// Runs put back (in a dry run, that would be), per table; the sample is read back from the
    /// undo's own journal entries (empty in a dry run).
    public let restored: ChangedRuns
    /// Runs changed since the batch, left alone.
    public let skipped: LeftAloneRuns
    /// The journal batch of the undo itself (undo can be undone); `nil` in a dry run.
    public let batchID: String?
    public let dryRun: Bool
}

extension TaskRuns {
    /// Puts back the old status of each run of batch `batchID` whose status is still the one
    /// the batch set; runs changed since are left alone and reported.
    ///
    /// The other columns the batch overwrote (`finished_at`, the note, and for a requeue the
    /// start time, heartbeat and worker) are restored too. Every restore is journaled as an
    /// `undo` under a new batch id, with the values it overwrote, so an undo is as undoable
    /// as the change it reverses: change, undo, undo of the undo leaves every column as the
    /// change left it.
    ///
    /// Set-based like the change it reverses: the batch's journal entries are walked newest
    /// first in pages of ``BulkOptions/batchSize`` journal ids, each page one short transaction
    /// whose statements join the journal to the table, journal the undo and restore the runs.
    ///
    /// - Parameter reason: why, journaled after `undo of batch BATCH` (the dashboard asks for one).
    public func undo(batchID: String, dryRun: Bool = false, reason: String? = nil, options: BulkOptions = BulkOptions()) throws -> UndoResult {
        try checkJournalInput(reason: reason)
        let journalReason = "undo of batch \(batchID)" + (reason.map { ": \($0)" } ?? "")
        let pageSize = try changeBatchSize(options)
        let tables = try needingJournal { try connection.query(SQL.Undo.BatchTables(batchId: .text(batchID))) }
        guard !tables.isEmpty else { throw MaintenanceError(.unknownBatch(batchID)) }
        var parts: [(table: TaskTable, flags: UndoFlags, entries: Int, first: Int64, last: Int64)] = []
        var deleted: (table: String, first: Int64)?
        for row in tables.sorted(by: { (try? $0.decode(Int64.self, .lastId)) ?? 0 > (try? $1.decode(Int64.self, .lastId)) ?? 0 }) {
            let target = try tableOf(try row.decode(String.self, .targetTable))
            let first = try row.decode(Int64.self, .firstId)
            parts.append((target, try undoFlags(for: target), try row.decode(Int.self, .n), first, try row.decode(Int64.self, .lastId)))
            let operation = JournalOperation(stored: try row.decode(String.self, .operation))
            // The delete's oldest entry names its archive.
            if operation == .delete, first < deleted?.first ?? .max { deleted = (target.name.description, first) }
            let withOldStatus = try row.decode(Int.self, .withOldStatus)
            if operation == .undo && withOldStatus == 0 { throw MaintenanceError(.undoOfRestore(batchID)) }
        }
        // A delete is undone from its archive: the rows go back whole, and none is there to compare.
        let archive = try deleted.map { try archiveOfDelete(batchID: batchID, table: $0.table) }
        let entries = parts.reduce(0) { $0 + $1.entries }
        var restored = ChangedRuns()
        if dryRun {
            for part in parts {
                var names = names(for: part.table)
                let n: Int
                if let archive {
                    names["archive"] = archive
                    var count = SQL.Undo.CountArchived(batchId: .text(batchID), targetTable: .text(part.table.name.description))
                    count.integerIds = part.flags.integerIDs
                    count.uuidIds = part.flags.uuidIDs
                    n = try connection.query(count, names: names).first?.decode(Int.self, .n) ?? 0
                } else {
                    var count = SQL.Undo.CountRestorable(batchId: .text(batchID), targetTable: .text(part.table.name.description))
                    count.integerIds = part.flags.integerIDs
                    count.uuidIds = part.flags.uuidIDs
                    n = try connection.query(count, names: names).first?.decode(Int.self, .n) ?? 0
                }
                restored.add(n, table: part.table.name.description, status: nil)
            }
            let sample = try archive != nil ? [] : leftAlone(batchID: batchID, parts.map { ($0.table, $0.flags) }, limit: options.sampleSize)
            return UndoResult(restored: restored, skipped: LeftAloneRuns(count: entries - restored.count, sample: sample), batchID: nil, dryRun: true)
        } else {
            let now = try DatabaseClock.now(on: connection)
            let undoBatch = Self.newBatchID(now: now)
            var batches = 0
            let started = ContinuousClock.now
            var stopped = false
            // On SQLite, with a page cache that holds a page's changes (UndoSessionSettings).
            try UndoSessionSettings.with(on: connection) {
                for part in parts where !stopped {
                    // Newest first, in pages of journal ids: (lower, upper].
                    var upper = part.last
                    while upper >= part.first {
                        // Between pages, as a bulk change stops: the pages done stay, journaled,
                        // and an undo of the same batch run again restores the rest.
                        if options.shouldStop?() == true {
                            stopped = true
                            break
                        }
                        let lower = max(part.first - 1, upper - Int64(pageSize))
                        let pageStart = ContinuousClock.now
                        let n = try journaled {
                            if let archive {
                                return try restoreArchivedPage(
                                    batchID: batchID, undoBatch: undoBatch, reason: journalReason, part.table, part.flags, from: archive,
                                    lower: lower, upper: upper)
                            }
                            return try restorePage(
                                batchID: batchID, undoBatch: undoBatch, reason: journalReason, part.table, part.flags, lower: lower, upper: upper)
                        }
                        restored.add(n, table: part.table.name.description, status: nil)
                        restored.addBatch(took: ContinuousClock.now - pageStart)
                        batches += 1
                        options.progress?(
                            BulkProgress(done: restored.count, expected: options.expected ?? entries, batches: batches, elapsed: ContinuousClock.now - started))
                        upper = lower
                    }
                }
            }
            // Read after the pages, and only when some entry was left alone: a batch undone
            // whole is read once, by its pages, not a second time for an empty sample.
            let skipped = entries - restored.count
            let leftAloneSample =
                try archive != nil || skipped == 0
                ? [] : leftAlone(batchID: batchID, parts.map { ($0.table, $0.flags) }, limit: options.sampleSize, afterUndo: undoBatch)
            // The undo's own entries, table by table in the order of its pages: the first
            // entries it wrote, read by index range rather than by sorting all of them.
            if !restored.isEmpty {
                restored.sample = try sample(ofBatch: undoBatch, tables: parts.map(\.table.name.description), limit: options.sampleSize)
            }
            return UndoResult(
                restored: restored, skipped: LeftAloneRuns(count: skipped, sample: leftAloneSample),
                batchID: restored.isEmpty ? nil : undoBatch, dryRun: false)
        }
    }

    /// How the undo statements read a table: the id column's type and the time format.
    struct UndoFlags {
        var integerIDs: Bool
        /// PostgreSQL's uuid ids: the journal's text run_id is cast to uuid, as an integer's to bigint.
        var uuidIDs = false
        var format: TimeFormat
    }

    private func undoFlags(for target: TaskTable) throws -> UndoFlags {
        let type = try declaredColumns(of: target).type(of: target.columns[.id])
        var flags = UndoFlags(integerIDs: type?.contains("int") == true, format: target.timeFormat)
        flags.uuidIDs = type == "uuid"
        return flags
    }

    /// One page of an undo, in its transaction: lock where the dialect needs it, journal what
    /// the restore overwrites, restore. Returns how many runs were restored.
    ///
    /// PostgreSQL does all three in one statement (`restore_page.postgresql.sql`), reading the
    /// page's entries and finding its runs once; MySQL and SQLite, which cannot feed an
    /// `UPDATE`'s rows to an `INSERT`, journal and then restore, and the counts must agree.
    private func restorePage(batchID: String, undoBatch: String, reason: String, _ target: TaskTable, _ flags: UndoFlags, lower: Int64, upper: Int64) throws -> Int {
        var names = names(for: target)
        // A start that shares the finish's column is restored once, as the finish.
        if target.startSharesFinish { names[TaskTable.Column.startedAt.rawValue] = nil }
        let targetTable = DatabaseValue.text(target.name.description)
        let (plainWrites, blobWrites) = (target.writtenColumns.filter { !$0.encoding.isBinary }, target.writtenColumns.filter(\.encoding.isBinary))
        if SQL.Undo.RestorePage.backends.contains(dialect.backend) {
            let page = SQL.Undo.RestorePage(
                batchId: .text(batchID), targetTable: targetTable, lowerId: .integer(lower), upperId: .integer(upper),
                undoBatchId: .text(undoBatch), reason: .text(reason), actor: .text(actor),
                writes: plainWrites.map { SQL.Undo.RestorePage.Write(key: .text($0.journalKey), column: $0.column) },
                blobWrites: blobWrites.map { SQL.Undo.RestorePage.Blob(key: .text($0.journalKey), column: $0.column) },
                unixSeconds: flags.format == .unixSeconds, unixMilliseconds: flags.format == .unixMilliseconds,
                textTimes: flags.format == .text, isoTimes: flags.format == .iso8601,
                integerIds: flags.integerIDs, uuidIds: flags.uuidIDs)
            return try connection.execute(page, names: names)
        }
        if SQL.Undo.Lock.backends.contains(dialect.backend) {
            var lock = SQL.Undo.Lock(batchId: .text(batchID), targetTable: targetTable, lowerId: .integer(lower), upperId: .integer(upper))
            lock.integerIds = flags.integerIDs
            _ = try connection.query(lock, names: names)
        }
        let journal = SQL.Undo.Journal(
            undoBatchId: .text(undoBatch), reason: .text(reason), actor: .text(actor), batchId: .text(batchID),
            targetTable: targetTable, lowerId: .integer(lower), upperId: .integer(upper),
            writes: plainWrites.map { SQL.Undo.Journal.Write(key: .text($0.journalKey), column: $0.column) },
            blobWrites: blobWrites.map { SQL.Undo.Journal.Blob(key: .text($0.journalKey), column: $0.column) },
            unixSeconds: flags.format == .unixSeconds, unixMilliseconds: flags.format == .unixMilliseconds,
            textTimes: flags.format == .text, isoTimes: flags.format == .iso8601, integerIds: flags.integerIDs)
        let journaled = try connection.execute(journal, names: names)
        guard journaled > 0 else { return 0 }
        let restore = SQL.Undo.Restore(
            batchId: .text(batchID), targetTable: targetTable, lowerId: .integer(lower), upperId: .integer(upper),
            writes: plainWrites.map { SQL.Undo.Restore.Write(key: .text($0.journalKey), column: $0.column) },
            blobWrites: blobWrites.map { SQL.Undo.Restore.Blob(key: .text($0.journalKey), column: $0.column) },
            integerIds: flags.integerIDs, unixSeconds: flags.format == .unixSeconds, unixMilliseconds: flags.format == .unixMilliseconds,
            textTimes: flags.format == .text, isoTimes: flags.format == .iso8601)
        let restored = try connection.execute(restore, names: names)
        guard restored == journaled else {
            throw BulkJournalMismatch(table: target.name.description, journaled: journaled, changed: restored)
        }
        return restored
    }

    /// The archive table a delete batch moved its rows into, as its journal entries in `table`
    /// name it; refuses a delete that kept no archive.
    private func archiveOfDelete(batchID: String, table: String) throws -> SQLIdentifier {
        guard let entry = try journal(batchID: batchID, tables: [table], limit: 1).first,
            let name = entry.oldValues["archive_table"].flatMap(String.fromDatabaseValue)
        else { throw MaintenanceError(.deleteNotArchived(batchID)) }
        let archive = try SQLIdentifier(name)
        let exists: Bool
        do {
            exists = try !TaskTable.declaredTypes(of: archive, on: connection).isEmpty
        } catch let error as DatabaseError where error.isUndefinedTable {
            exists = false
        }
        guard exists else { throw MaintenanceError(.archiveMissing(archive: name, batch: batchID)) }
        return archive
    }

    /// One page of the undo of a delete, in its transaction: journal the runs whose rows are in
    /// the archive and not back in the table, put those rows back, and take them out of the
    /// archive. Returns how many runs were put back.
    private func restoreArchivedPage(
        batchID: String, undoBatch: String, reason: String, _ target: TaskTable, _ flags: UndoFlags, from archive: SQLIdentifier, lower: Int64, upper: Int64
    ) throws -> Int {
        var names = names(for: target)
        names["archive"] = archive
        let targetTable = DatabaseValue.text(target.name.description)
        var journal = SQL.Undo.ArchivedJournal(
            undoBatchId: .text(undoBatch), reason: .text(reason), actor: .text(actor), batchId: .text(batchID),
            targetTable: targetTable, lowerId: .integer(lower), upperId: .integer(upper))
        journal.integerIds = flags.integerIDs
        journal.uuidIds = flags.uuidIDs
        let journaled = try connection.execute(journal, names: names)
        guard journaled > 0 else { return 0 }
        let restored = try connection.execute(SQL.Undo.ArchivedRestore(undoBatchId: .text(undoBatch), targetTable: targetTable), names: names)
        var remove = SQL.Undo.ArchivedRemove(undoBatchId: .text(undoBatch), targetTable: targetTable)
        remove.integerIds = flags.integerIDs
        remove.uuidIds = flags.uuidIDs
        let removed = try connection.execute(remove, names: names)
        guard restored == journaled, removed == restored else {
            throw BulkJournalMismatch(table: target.name.description, journaled: journaled, changed: restored)
        }
        return restored
    }

    /// A sample of the runs of the batch an undo leaves alone, with their status now.
    ///
    /// Before an undo (a dry run), the runs no longer in the batch's status; after one
    /// (`afterUndo`: its batch), those and not restored by it, since a restored run has moved
    /// on from the batch's status too.
    private func leftAlone(batchID: String, _ parts: [(TaskTable, UndoFlags)], limit: Int, afterUndo undoBatch: String? = nil) throws -> [LeftAloneRun] {
        var sample: [LeftAloneRun] = []
        for (target, flags) in parts where sample.count < limit {
            var statement = SQL.Undo.LeftAlone(
                batchId: .text(batchID), targetTable: .text(target.name.description), undoBatchId: undoBatch.map(DatabaseValue.text) ?? .null,
                limit: .integer(Int64(limit - sample.count)))
            statement.integerIds = flags.integerIDs
            statement.uuidIds = flags.uuidIDs
            statement.afterUndo = undoBatch != nil
            sample += try connection.query(statement, names: names(for: target)).map { row in
                LeftAloneRun(
                    table: target.name.description, runID: try row.decode(String.self, .runId), batchStatus: try row.decode(String?.self, .newStatus),
                    currentStatus: try row.decode(String?.self, .currentStatus))
            }
        }
        return sample
    }

    /// The mapping of a table a journal entry names: this table or its parent.
    private func tableOf(_ name: String) throws -> TaskTable {
        if name == table.name.description { return table }
        if let parent = table.parent, name == parent.table.name.description { return parent.table }
        throw MaintenanceError(.batchForOtherTable(batchTable: name, mappedTable: table.name.description))
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
