import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// What every statement of one walk filters on: each arm's status and cutoff, the kind rule,
/// and where the batch starts and ends.
struct PurgeFilter {
    /// Arm N's `(status, cutoff)` is `arms[N - 1]`.
    var arms: [(status: DatabaseValue, cutoff: DatabaseValue)]
    /// The kind of a kind rule, else `nil`.
    var kind: String?
    /// For the catch-all rule: the kinds left to rules of their own.
    var exceptKinds: [DatabaseValue]
    /// The previous batch's last key: the batch starts after it.
    var after: PurgeKey?
    /// The batch's last key, inclusive, once found.
    var until: PurgeKey?

    init(_ walk: PurgeWalk, cutoffs: [DatabaseValue]) {
        arms = zip(walk.passes, cutoffs).map { (.text($0.value), $1) }
        kind = walk.passes[0].kind
        exceptKinds = walk.passes[0].exceptKinds.map(DatabaseValue.text)
    }

    var byKind: Bool { kind != nil }
    var excludingKinds: Bool { kind == nil && !exceptKinds.isEmpty }
    var kindValue: DatabaseValue { kind.map(DatabaseValue.text) ?? .null }

    /// The dry run's count for arm `arm`.
    func count(arm: Int) -> SQL.Purge.Count {
        SQL.Purge.Count(
            status: arms[arm].status, cutoff: arms[arm].cutoff, kind: kindValue, exceptKinds: exceptKinds, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    func nextBoundary(batchSize: Int) -> SQL.Purge.NextBoundary {
        SQL.Purge.NextBoundary(
            afterFinishedAt: after?.finishedAt ?? .null, afterId: after?.id ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            limit: .integer(Int64(batchSize)), offset: .integer(Int64(batchSize - 1)),
            arms: arms.map { SQL.Purge.NextBoundary.Arm(status: $0.status, cutoff: $0.cutoff) }, after: after != nil,
            byKind: byKind, excludingKinds: excludingKinds)
    }

    /// Deletes arm `arm`'s rows among `ids` (a JSON array) that are still purgeable: status,
    /// age and kind checked again.
    func deleteIds(arm: Int, ids: DatabaseValue) -> SQL.Purge.DeleteIds {
        SQL.Purge.DeleteIds(
            idsJson: ids, status: arms[arm].status, cutoff: arms[arm].cutoff, kind: kindValue, exceptKinds: exceptKinds, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    func selectBatch(batchSize: Int) -> SQL.Purge.SelectBatch {
        SQL.Purge.SelectBatch(
            afterFinishedAt: after?.finishedAt ?? .null, afterId: after?.id ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            limit: .integer(Int64(batchSize)), arms: arms.map { SQL.Purge.SelectBatch.Arm(status: $0.status, cutoff: $0.cutoff) },
            after: after != nil, byKind: byKind, excludingKinds: excludingKinds)
    }

    func deleteRange(arm: Int) -> SQL.Purge.DeleteRange {
        SQL.Purge.DeleteRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterFinishedAt: after?.finishedAt ?? .null, afterId: after?.id ?? .null,
            untilFinishedAt: until?.finishedAt ?? .null, untilId: until?.id ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            after: after != nil, until: until != nil, byKind: byKind, excludingKinds: excludingKinds)
    }

    func archiveRange(arm: Int) -> SQL.Purge.ArchiveRange {
        SQL.Purge.ArchiveRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterFinishedAt: after?.finishedAt ?? .null, afterId: after?.id ?? .null,
            untilFinishedAt: until?.finishedAt ?? .null, untilId: until?.id ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            after: after != nil, until: until != nil, byKind: byKind, excludingKinds: excludingKinds)
    }

    func selectRange(arm: Int) -> SQL.Purge.SelectRange {
        SQL.Purge.SelectRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterFinishedAt: after?.finishedAt ?? .null, afterId: after?.id ?? .null,
            untilFinishedAt: until?.finishedAt ?? .null, untilId: until?.id ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            after: after != nil, until: until != nil, byKind: byKind, excludingKinds: excludingKinds)
    }
}

/// The last key of a batch, where the next one starts, exactly as the table stores it.
struct PurgeKey {
    var finishedAt: DatabaseValue
    var id: DatabaseValue
}

/// The statements of the primary-key walk (``PurgeOrder/primaryKey``): one id range per batch.
extension PurgeFilter {
    /// The range `(after, until]` of one batch of the primary-key walk; `nil` bounds are open.
    struct IdRange {
        var after: DatabaseValue?
        var until: DatabaseValue?
    }

    func nextIdBoundary(after: DatabaseValue?, rows: Int) -> SQL.Purge.NextIdBoundary {
        SQL.Purge.NextIdBoundary(afterId: after ?? .null, offset: .integer(Int64(max(rows, 1) - 1)), after: after != nil)
    }

    /// SQLite's batch of the primary-key walk, read before its write transaction: the next
    /// `rows` rows after `after`, cut after the `limit`-th purgeable one, and each arm's
    /// purgeable ids in them.
    func selectIdBatch(after: DatabaseValue?, rows: Int, limit: Int) -> SQL.Purge.SelectIdBatch {
        SQL.Purge.SelectIdBatch(
            kind: kindValue, exceptKinds: exceptKinds, afterId: after ?? .null, span: .integer(Int64(max(rows, 1))),
            limit: .integer(Int64(max(limit, 1))), arms: arms.map { SQL.Purge.SelectIdBatch.Arm(status: $0.status, cutoff: $0.cutoff) },
            byKind: byKind, excludingKinds: excludingKinds, after: after != nil)
    }

    func deleteIdRange(arm: Int, _ range: IdRange) -> SQL.Purge.DeleteIdRange {
        SQL.Purge.DeleteIdRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterId: range.after ?? .null, untilId: range.until ?? .null,
            kind: kindValue, exceptKinds: exceptKinds, after: range.after != nil, until: range.until != nil, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    /// PostgreSQL's batch of the block walk, for arm `arm`: its purgeable rows in blocks
    /// `[from, until)` (to the table's end when `until` is `nil`).
    func deleteBlockRange(arm: Int, from: Int, until: Int?) -> SQL.Purge.DeleteBlockRange {
        SQL.Purge.DeleteBlockRange(
            fromBlock: .integer(Int64(from)), untilBlock: until.map { .integer(Int64($0)) } ?? .null, status: arms[arm].status,
            cutoff: arms[arm].cutoff, kind: kindValue, exceptKinds: exceptKinds, until: until != nil, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    func deleteIdRangeArms(_ range: IdRange) -> SQL.Purge.DeleteIdRangeArms {
        SQL.Purge.DeleteIdRangeArms(
            afterId: range.after ?? .null, untilId: range.until ?? .null, kind: kindValue, exceptKinds: exceptKinds,
            arms: arms.map { SQL.Purge.DeleteIdRangeArms.Arm(status: $0.status, cutoff: $0.cutoff) }, after: range.after != nil,
            until: range.until != nil, byKind: byKind, excludingKinds: excludingKinds)
    }

    func archiveIdRange(arm: Int, _ range: IdRange) -> SQL.Purge.ArchiveIdRange {
        SQL.Purge.ArchiveIdRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterId: range.after ?? .null, untilId: range.until ?? .null,
            kind: kindValue, exceptKinds: exceptKinds, after: range.after != nil, until: range.until != nil, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    func selectIdRange(arm: Int, _ range: IdRange) -> SQL.Purge.SelectIdRange {
        SQL.Purge.SelectIdRange(
            status: arms[arm].status, cutoff: arms[arm].cutoff, afterId: range.after ?? .null, untilId: range.until ?? .null,
            kind: kindValue, exceptKinds: exceptKinds, after: range.after != nil, until: range.until != nil, byKind: byKind,
            excludingKinds: excludingKinds)
    }

    func countCapped(arm: Int, cap: Int) -> SQL.Purge.CountCapped {
        SQL.Purge.CountCapped(
            status: arms[arm].status, cutoff: arms[arm].cutoff, kind: kindValue, exceptKinds: exceptKinds, cap: .integer(Int64(cap)),
            byKind: byKind, excludingKinds: excludingKinds)
    }

    func sampleFinishOrder(arm: Int, limit: Int) -> SQL.Purge.SampleFinishOrder {
        SQL.Purge.SampleFinishOrder(
            status: arms[arm].status, cutoff: arms[arm].cutoff, kind: kindValue, exceptKinds: exceptKinds, limit: .integer(Int64(limit)),
            byKind: byKind, excludingKinds: excludingKinds)
    }
}
