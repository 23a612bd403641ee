import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// The runs a bulk change changed: counts, and a bounded sample read back from the journal.
///
/// A change of a million runs returns this, not a million values: the full list is the
/// journal's (`taskwarden journal --batch BATCH`, or ``TaskRuns/journal(batchID:since:limit:)``).
public struct ChangedRuns: Sendable {
    /// Every run changed, parents included.
    public internal(set) var count = 0
    /// Runs changed per table: the task table, and its parent table when one is mapped.
    public internal(set) var byTable: [String: Int] = [:]
    /// Runs of the task table changed, per status written (the table's value): `recover --to
    /// queued` both requeues and fails.
    public internal(set) var byStatus: [String: Int] = [:]
    /// The first runs changed, in journal order: at most ``BulkOptions/sampleSize``.
    public internal(set) var sample: [ChangedRun] = []
    /// Batches committed, and the longest one's time (its transaction, from the first
    /// statement to the commit): how long other writers may have waited on its rows.
    public internal(set) var batches = 0
    public internal(set) var longestBatch: Duration = .zero

    public var isEmpty: Bool { count == 0 }

    public init() {}

    /// Runs changed in `table`.
    public func count(in table: String) -> Int { byTable[table] ?? 0 }

    mutating func addBatch(took duration: Duration) {
        batches += 1
        longestBatch = max(longestBatch, duration)
    }

    mutating func add(_ n: Int, table: String, status: String?) {
        guard n > 0 else { return }
        count += n
        byTable[table, default: 0] += n
        if let status { byStatus[status, default: 0] += n }
    }
}

/// How far a bulk change has come, reported after each batch.
public struct BulkProgress: Sendable {
    /// Runs changed so far (parents included).
    public let done: Int
    /// Runs the change was expected to select, when counted first (reset, undo).
    public let expected: Int?
    /// Batches committed.
    public let batches: Int
    /// Time since the change started.
    public let elapsed: Duration

    public init(done: Int, expected: Int?, batches: Int, elapsed: Duration) {
        self.done = done
        self.expected = expected
        self.batches = batches
        self.elapsed = elapsed
    }
}

/// How a bulk change (reset, recover, cancel, undo) runs.
public struct BulkOptions: Sendable {
    /// Runs per batch, each batch one short transaction; `nil`: ``TaskRuns/changeBatchSize(for:)``.
    public var batchSize: Int?
    /// How many changed runs the result lists, read back from the journal.
    public var sampleSize: Int
    /// How many runs the change is expected to select, for a progress estimate.
    public var expected: Int?
    /// Called after each committed batch.
    public var progress: (@Sendable (BulkProgress) -> Void)?
    /// Asked before each batch; `true` stops the walk there, every batch so far committed (a
    /// signal, in the CLI; the dashboard's cancel button). Every bulk change asks it, and
    /// ``TaskRuns/undo(batchID:dryRun:options:)`` between its pages.
    public var shouldStop: (@Sendable () -> Bool)?

    public init(
        batchSize: Int? = nil, sampleSize: Int = 20, expected: Int? = nil, progress: (@Sendable (BulkProgress) -> Void)? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) {
        self.batchSize = batchSize
        self.sampleSize = sampleSize
        self.expected = expected
        self.progress = progress
        self.shouldStop = shouldStop
    }
}

/// Which runs a bulk change takes: the predicate every `sql/bulk/` statement repeats.
struct BulkFilter {
    var from: [DatabaseValue]
    var kinds: [DatabaseValue] = []
    /// Any kind but these (and no kind): the default threshold's runs when kinds have their own.
    var exceptKinds: [DatabaseValue] = []
    /// Only these runs; `nil` for no condition on ids.
    var ids: [DatabaseValue]?
    /// Last sign of life older than this, in the table's time format.
    var cutoff: DatabaseValue?
    var attemptsLeft = false
    var attemptsExhausted = false
    var notCancelRequested = false
}

/// The members `sql/bulk/` statements share: the predicate, and the batch's id range.
protocol BulkPredicate {
    var fromStatuses: [DatabaseValue] { get set }
    var kinds: [DatabaseValue] { get set }
    var exceptKinds: [DatabaseValue] { get set }
    var ids: [DatabaseValue] { get set }
    var cutoff: DatabaseValue { get set }
    var afterId: DatabaseValue { get set }
    var byKind: Bool { get set }
    var otherKinds: Bool { get set }
    var byId: Bool { get set }
    var checkCutoff: Bool { get set }
    var attemptsLeft: Bool { get set }
    var attemptsExhausted: Bool { get set }
    var notCancelRequested: Bool { get set }
    var after: Bool { get set }
}

/// A statement that takes one batch's range, `(after_id, upper_id]`.
protocol BulkRangePredicate: BulkPredicate {
    var upperId: DatabaseValue { get set }
    var upTo: Bool { get set }
}

extension SQL.Bulk.Bound: BulkPredicate {}
extension SQL.Bulk.Count: BulkPredicate {}
extension SQL.Bulk.Lock: BulkRangePredicate {}
extension SQL.Bulk.Journal: BulkRangePredicate {}
extension SQL.Bulk.ParentKeys: BulkRangePredicate {}
extension SQL.Bulk.Update: BulkRangePredicate {}
extension SQL.Bulk.RequestCancel: BulkRangePredicate {}
extension SQL.Bulk.Archive: BulkRangePredicate {}
extension SQL.Bulk.SelectRows: BulkRangePredicate {}
extension SQL.Bulk.Delete: BulkRangePredicate {}

/// The range of one batch: ids after `after` (all when `nil`) up to `upper` (no bound when `nil`).
struct BulkRange {
    var after: DatabaseValue?
    var upper: DatabaseValue?
}

extension BulkPredicate {
    /// The statement with `filter`'s conditions, after `after` when given.
    func taking(_ filter: BulkFilter, after: DatabaseValue? = nil) -> Self {
        var statement = self
        statement.fromStatuses = filter.from
        statement.kinds = filter.kinds
        statement.byKind = !filter.kinds.isEmpty
        statement.exceptKinds = filter.exceptKinds
        statement.otherKinds = !filter.exceptKinds.isEmpty
        statement.ids = filter.ids ?? []
        statement.byId = filter.ids != nil
        statement.cutoff = filter.cutoff ?? .null
        statement.checkCutoff = filter.cutoff != nil
        statement.attemptsLeft = filter.attemptsLeft
        statement.attemptsExhausted = filter.attemptsExhausted
        statement.notCancelRequested = filter.notCancelRequested
        statement.afterId = after ?? .null
        statement.after = after != nil
        return statement
    }
}

extension BulkRangePredicate {
    func taking(_ filter: BulkFilter, in range: BulkRange) -> Self {
        var statement = taking(filter, after: range.after)
        statement.upperId = range.upper ?? .null
        statement.upTo = range.upper != nil
        return statement
    }
}

/// A batch whose journal entries and changed rows differ in number: rolled back, since the
/// journal must hold exactly one entry per changed run.
struct BulkJournalMismatch: Error, CustomStringConvertible {
    let table: String
    let journaled: Int
    let changed: Int
    var description: String {
        "a batch of \(table) journaled \(journaled) run(s) but changed \(changed); it was rolled back"
    }
}

/// One set-based change: which runs, what they become, how it is journaled.
struct BulkChange {
    var filter: BulkFilter
    /// The status written; ignored when the change asks runs to stop or deletes them.
    var target: TaskStatus
    /// Requeue only runs with attempts left; fail the others (recover --to queued).
    var failWhenAttemptsExhausted = false
    /// Ask the runs to stop (cancel) instead of changing their status.
    var requestsCancel = false
    var operation: JournalOperation
    var reason: String?
    var note: String
    var batchID: String
    var now: Timestamp
    /// Delete the runs instead of changing them (``TaskRuns/delete(_:reason:options:)``).
    var deletion: BulkDeletion?
}

/// Where a delete's rows go as they leave the table, as in a purge: an archive table (in the
/// deleting transaction), an export file (synced before the transaction commits), or nowhere.
struct BulkDeletion {
    var archive: SQLIdentifier?
    var export: PurgeExport?
}

/// What a walk counted.
struct BulkTally {
    /// Runs of the task table that qualified when their batch was bounded.
    var selected = 0
    var changed = ChangedRuns()
    var batches = 0
    var started = ContinuousClock.now
    /// ``BulkOptions/shouldStop`` stopped the walk before its end.
    var stopped = false
}

extension TaskRuns {
    /// How many runs one transaction changes unless ``BulkOptions/batchSize`` says otherwise:
    /// ``changeBatchSize(for:)`` of the connection's backend.
    public static let changeBatchSize = 5_000

    /// The default batch size on `backend`, measured at the servers' default settings (see
    /// docs/operations.md): 2 000 on PostgreSQL and MySQL/MariaDB, 5 000 on SQLite.
    ///
    /// Each batch is one transaction that holds its runs' row locks, so its length is what a
    /// worker touching one of those runs may wait, and the target is under 250 ms. MariaDB 10.11
    /// runs four statements per batch: 5 000 took 0.55 s. PostgreSQL 15, at 1 M runs, had
    /// batches of 5 000 at 116 ms on average but up to 305 ms (reset) and 322 ms (undo), the
    /// slowest 2.6 times the average; with 2 000 the longest were 165 and 175 ms, for the same
    /// throughput against one `UPDATE` (0.58 against 0.60 for reset). SQLite's longest batch
    /// of 5 000 was 102 ms.
    public static func changeBatchSize(for backend: DatabaseBackend) -> Int {
        backend == .sqlite ? changeBatchSize : 2_000
    }

    /// Changes every run `change` selects, walking the table in id order in batches of
    /// `batchSize`: each batch bounded by one read that returns only its count and last id,
    /// then journaled, re-checked and changed by set statements in one short transaction.
    func walk(_ change: BulkChange, options: BulkOptions, into tally: inout BulkTally) throws {
        let batchSize = try changeBatchSize(options)
        if !change.requestsCancel && change.deletion == nil { try table.checkWritable(change.target) }
        if change.target == .queued && change.failWhenAttemptsExhausted && !change.requestsCancel {
            try checkCanRequeue()
            try table.checkWritable(.failed)
        }
        var after: DatabaseValue?
        while true {
            if options.shouldStop?() == true {
                tally.stopped = true
                break
            }
            // Outside the transaction: a plain read, so it neither holds locks nor (on MySQL)
            // fixes the snapshot the batch's statements would otherwise read.
            let bound = SQL.Bulk.Bound(
                fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null, limit: .integer(Int64(batchSize))
            ).taking(change.filter, after: after)
            guard let row = try connection.query(bound, names: names()).first else { break }
            let count = try row.decode(Int.self, SQL.Bulk.Bound.Row.Column.n)
            guard count > 0, !row.upperId.isNull else { break }
            let range = BulkRange(after: after, upper: row.upperId)
            tally.selected += count
            let batchStart = ContinuousClock.now
            try applyBatchRetryingRaces(change, in: range, into: &tally)
            // The batch's delete committed: its exported rows are final.
            try change.deletion?.export?.commit()
            tally.changed.addBatch(took: ContinuousClock.now - batchStart)
            tally.batches += 1
            options.progress?(
                BulkProgress(done: tally.changed.count, expected: options.expected, batches: tally.batches, elapsed: ContinuousClock.now - tally.started))
            after = row.upperId
            if count < batchSize { break }
        }
    }

    /// How many times a batch rolled back by ``BulkJournalMismatch`` is run again.
    static let racedBatchAttempts = 5


    /// ``applyBatch(_:in:into:)`` in its transaction, run again when it was rolled back because
    /// a run started to qualify between its journal and its update.
    ///
    /// Under READ COMMITTED (PostgreSQL's default) each statement sees what committed before it
    /// began: a worker that moves a run into the selected statuses between the two statements
    /// makes the update change one run more than the journal holds. The batch is then rolled
    /// back whole, never left unjournaled, and, since that is a race rather than a fault, run
    /// again from the same bounds, seeing the run this time.
    ///
    /// A deadlock rolls the batch back whole as well: on Galera, a batch whose runs a worker on
    /// another node changed meanwhile fails certification at `COMMIT` (error 1213), with
    /// nothing applied. It too is run again from the same bounds, its exported rows cut back
    /// first.
    private func applyBatchRetryingRaces(_ change: BulkChange, in range: BulkRange, into tally: inout BulkTally) throws {
        var attempt = 1
        var rolledBack = 1
        while true {
            var attemptTally = tally
            do {
                try journaled { try applyBatch(change, in: range, into: &attemptTally) }
                tally = attemptTally
                return
            } catch is BulkJournalMismatch where attempt < Self.racedBatchAttempts {
                try change.deletion?.export?.discardPending()
                attempt += 1
            } catch let error as DatabaseError where error.category == .deadlock && rolledBack < Purger.rolledBackBatchRetry.maxAttempts {
                try change.deletion?.export?.discardPending()
                rolledBack += 1
                Thread.sleep(forTimeInterval: Purger.rolledBackBatchRetry.delay(beforeAttempt: rolledBack).seconds)
            }
        }
    }

    /// One batch, inside its transaction: for each target (requeue, then fail the runs without
    /// attempts left), lock where the dialect needs it, journal, read the parents, change; then
    /// the parents follow.
    private func applyBatch(_ change: BulkChange, in range: BulkRange, into tally: inout BulkTally) throws {
        var passes: [(target: TaskStatus, filter: BulkFilter)] = []
        if change.target == .queued && change.failWhenAttemptsExhausted && !change.requestsCancel {
            var requeue = change.filter
            requeue.attemptsLeft = true
            var fail = change.filter
            fail.attemptsExhausted = true
            passes = [(.queued, requeue), (.failed, fail)]
        } else {
            passes = [(change.target, change.filter)]
        }
        for pass in passes {
            let changed = try changeSet(change, target: pass.target, filter: pass.filter, range: range, in: table)
            let written = change.requestsCancel || change.deletion != nil ? nil : table.written(pass.target)
            tally.changed.add(changed.count, table: table.name.description, status: written)
            if let parent = table.parent, !changed.parentKeys.isEmpty {
                let from = pass.target == .queued ? parent.table.values(.running) : parent.table.values(.running) + parent.table.values(.queued)
                for keys in changed.parentKeys.chunked(into: 1_000) {
                    let followed = try changeSet(
                        change, target: pass.target, filter: BulkFilter(from: from, ids: Array(keys)), range: BulkRange(), in: parent.table)
                    tally.changed.add(followed.count, table: parent.table.name.description, status: nil)
                }
            }
        }
    }

    /// Journals and changes the runs of `table` that `filter` takes in `range`; returns how many
    /// changed and, for the task table with a parent, the parents' keys.
    private func changeSet(
        _ change: BulkChange, target: TaskStatus, filter: BulkFilter, range: BulkRange, in table: TaskTable
    ) throws -> (count: Int, parentKeys: [DatabaseValue]) {
        let names = names(for: table)
        let isTaskTable = table.name == self.table.name
        let requeue = target == .queued && !change.requestsCancel && table.has(.startedAt) && !table.startSharesFinish
        if SQL.Bulk.Lock.backends.contains(dialect.backend) {
            _ = try connection.query(
                SQL.Bulk.Lock(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null)
                    .taking(filter, in: range),
                names: names)
        }
        let writes = change.requestsCancel || change.deletion != nil ? [] : table.writes[target] ?? []
        var journal = SQL.Bulk.Journal(
            targetTable: .text(table.name.description), operation: .text(change.operation.stored),
            newStatus: change.deletion == nil ? .text(table.written(target)) : .null, batchId: .text(change.batchID),
            reason: change.reason.map(DatabaseValue.text) ?? .null,
            archiveTable: change.deletion?.archive.map { .text($0.description) } ?? .null, actor: .text(actor),
            fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null,
            writes: writes.filter { !$0.encoding.isBinary }.map { SQL.Bulk.Journal.Write(key: .text($0.journalKey), column: $0.column) },
            blobWrites: writes.filter(\.encoding.isBinary).map { SQL.Bulk.Journal.Blob(key: .text($0.journalKey), column: $0.column) }
        ).taking(filter, in: range)
        journal.keepStatus = change.requestsCancel
        journal.cancel = change.requestsCancel
        journal.delete = change.deletion != nil
        journal.archived = change.deletion?.archive != nil
        journal.requeue = requeue
        journal.unixSeconds = table.timeFormat == .unixSeconds
        journal.unixMilliseconds = table.timeFormat == .unixMilliseconds
        journal.textTimes = table.timeFormat == .text || table.timeFormat == .iso8601
        let journaled = try connection.execute(journal, names: names)
        guard journaled > 0 else { return (0, []) }
        if let deletion = change.deletion {
            return (try deleteJournaled(filter: filter, range: range, deletion, journaled: journaled, names: names), [])
        }
        var parentKeys: [DatabaseValue] = []
        if isTaskTable, self.table.parent != nil, !change.requestsCancel {
            parentKeys = try connection.query(
                SQL.Bulk.ParentKeys(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null)
                    .taking(filter, in: range),
                names: names
            ).map(\.parentKey)
        }
        let changed: Int
        if change.requestsCancel {
            changed = try connection.execute(
                SQL.Bulk.RequestCancel(
                    now: table.times.encode(change.now), fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null,
                    afterId: .null, upperId: .null
                ).taking(filter, in: range),
                names: names)
        } else {
            var update = SQL.Bulk.Update(
                finishedStatuses: target.isTerminal ? TaskStatus.allCases.filter(\.isTerminal).flatMap(table.values) : [],
                finishedAt: target.isTerminal ? table.times.encode(change.now) : .null, note: .text(change.note),
                newStatus: .text(table.written(target)), fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null,
                afterId: .null, upperId: .null,
                writes: try writes.filter { !$0.encoding.isBinary }.map {
                    SQL.Bulk.Update.Write(value: try $0.value(note: change.note), column: $0.column)
                },
                blobWrites: try writes.filter(\.encoding.isBinary).map {
                    SQL.Bulk.Update.Blob(value: try $0.value(note: change.note), column: $0.column)
                }
            ).taking(filter, in: range)
            update.requeue = requeue
            changed = try connection.execute(update, names: names)
        }
        guard changed == journaled else {
            throw BulkJournalMismatch(table: table.name.description, journaled: journaled, changed: changed)
        }
        return (changed, parentKeys)
    }

    /// How many runs `filter` selects now.
    func count(_ filter: BulkFilter) throws -> Int {
        let statement = SQL.Bulk.Count(fromStatuses: [], kinds: [], exceptKinds: [], ids: [], cutoff: .null, afterId: .null, upperId: .null).taking(filter)
        return try connection.query(statement, names: names()).first?.decode(Int.self, .n) ?? 0
    }

    /// The first `limit` entries of journal batch `batchID`, as changed runs; with `tables`,
    /// those of each table in turn (see ``journal(batchID:tables:limit:)``).
    func sample(ofBatch batchID: String, tables: [String]? = nil, limit: Int) throws -> [ChangedRun] {
        guard limit > 0 else { return [] }
        let entries = try tables.map { try journal(batchID: batchID, tables: $0, limit: limit) } ?? journal(batchID: batchID, limit: limit)
        return entries.map {
            // A run a delete removed (or an undo put back) has no status on that side.
            ChangedRun(table: $0.targetTable, id: .text($0.runID), oldStatus: $0.oldStatus ?? "deleted", newStatus: $0.newStatus ?? "deleted")
        }
    }
}
