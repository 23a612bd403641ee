import TaskWardenCore
import TaskWardenSchema

/// The passes purged together: those of one kind rule, every status value of it.
///
/// A table's runs finish in time order whatever their status, so succeeded and failed runs of
/// the same hour share table pages. Walking each status on its own changes every such page
/// once per status, each time in a different batch; walking them together, in one
/// `(finished_at, id)` order merged from each status's index range, changes it once (measured
/// on PostgreSQL, 2 M rows: 15 % less server time). Each status keeps its own cutoff, and its
/// own arm in the SQL (one element of `{{#each arm in arms}}`); so does each value of a status
/// mapped to several (Celery's `FAILURE` and `REJECTED`), which a walk takes together too:
/// walking them apart read the expired range once per extra value.
struct PurgeWalk {
    /// Arm N is `passes[N - 1]`.
    var passes: [PurgeSummary.Pass]

    /// The passes in walks, in plan order: one walk per kind rule.
    static func group(_ passes: [PurgeSummary.Pass]) -> [PurgeWalk] {
        var walks: [PurgeWalk] = []
        for pass in passes {
            if let index = walks.firstIndex(where: { walk in
                walk.passes[0].kind == pass.kind && walk.passes[0].exceptKinds == pass.exceptKinds
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
