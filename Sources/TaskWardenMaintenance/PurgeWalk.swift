import TaskWardenCore
import TaskWardenSQL

/// The passes purged together: those of one kind rule, at most one value per status.
///
/// A table's runs finish in time order whatever their status, so succeeded and failed runs of
/// the same hour share table pages. Walking each status on its own changes every such page
/// once per status, each time in a different batch; walking them together, in one
/// `(finished_at, id)` order merged from each status's index range, changes it once (measured
/// on PostgreSQL, 2 M rows: 15 % less server time). Each status keeps its own cutoff, and its
/// own arm in the SQL (one element of `{{#each arm in arms}}`).
struct PurgeWalk {
    /// Arm N is `passes[N - 1]`.
    var passes: [PurgeSummary.Pass]

    /// The passes in walks, in plan order: a pass joins the first walk of its kind rule that
    /// has no pass of its status yet (a status mapped to several values takes several walks).
    static func group(_ passes: [PurgeSummary.Pass]) -> [PurgeWalk] {
        var walks: [PurgeWalk] = []
        for pass in passes {
            if let index = walks.firstIndex(where: { walk in
                walk.passes[0].kind == pass.kind && walk.passes[0].exceptKinds == pass.exceptKinds
                    && !walk.passes.contains { $0.status == pass.status }
            }) {
                walks[index].passes.append(pass)
            } else {
                walks.append(PurgeWalk(passes: [pass]))
            }
        }
        return walks
    }

    /// Counts a batch that deleted `deleted[N]` rows of arm N, its time shared by rows.
    ///
    /// A pass's longest batch is its share of that batch, measured like its duration, so it is
    /// never longer than the pass it is part of.
    mutating func record(_ deleted: [Int], took: Duration) {
        let total = deleted.reduce(0, +)
        for (index, rows) in deleted.enumerated() where rows > 0 {
            let share = took * (Double(rows) / Double(total))
            passes[index].rows += rows
            passes[index].batches += 1
            passes[index].duration += share
            passes[index].longestBatch = max(passes[index].longestBatch, share)
        }
    }
}

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
