import Foundation
import TaskWardenCore
import TaskWardenSchema
import TaskWardenSQL

/// The purge engine: deletes a table's finished runs past their retention, in batches that each
/// commit on their own.
///
/// Each kind rule's statuses are walked together in `(finished_at, id)` order (see
/// ``PurgeWalk``): each batch starts after the previous batch's last key, so batches never
/// re-read what earlier ones deleted, the purge does not slow down as it advances, and no batch
/// holds locks for long. How a batch is found and deleted is the ``PurgeStrategy``. Queued and
/// running runs are never touched: only the table's values for succeeded, failed and
/// cancelled are purged. ``TaskRuns/purge(_:progress:shouldStop:)`` is its public face.
struct Purger {
    let runs: TaskRuns
    let options: PurgeOptions
    /// At most this many rows per transaction, however the walk sizes its ranges: a Galera
    /// cluster's write-set limit (``galeraCap(for:on:)``).
    var rowLimit: Int? = nil

    var connection: any DatabaseConnection { runs.connection }
    var table: TaskTable { runs.table }
    var names: [String: SQLIdentifier] { runs.names() }

    func run(progress: ((PurgeProgress) -> Void)?, shouldStop: () -> Bool) throws -> PurgeSummary {
        try runs.checkPurge(options)
        let now = try DatabaseClock.now(on: connection)
        let passes = plan()
        // Every cutoff is checked before the first batch, so a bad one changes nothing.
        for pass in passes { _ = try now.cutoff(olderThan: pass.retention) }
        func filter(_ walk: PurgeWalk) throws -> PurgeFilter {
            PurgeFilter(walk, cutoffs: try walk.passes.map { pass throws(TimestampRangeError) in
                table.times.encode(try now.cutoff(olderThan: pass.retention))
            })
        }

        // The partition checks compare each status value with its cutoff, as the walks do.
        let arms = try passes.map { pass in (status: DatabaseValue.text(pass.value), cutoff: table.times.encode(try now.cutoff(olderThan: pass.retention))) }

        if options.dryRun {
            var summary = PurgeSummary(dryRun: true)
            summary.droppedPartitions = try expiredPartitions(arms, now: now).map { Self.summary($0, took: .zero) }
            for pass in passes {
                let count = try filter(PurgeWalk(passes: [pass])).count(arm: 0)
                for row in try connection.query(count, names: names) {
                    let rows = try row.decode(Int.self, .n)
                    if rows > 0 { summary.wouldDelete.append((pass.value, try row.decode(String?.self, .kind), rows)) }
                }
            }
            for walk in PurgeWalk.group(passes) {
                let decision = try chooseOrder(try filter(walk))
                summary.orders.append(PurgeSummary.WalkOrder(statuses: walk.passes.map(\.value), kind: walk.passes[0].kind, decision: decision))
            }
            return summary
        }
        return try PurgeSessionSettings.with(on: connection) {
            let export = try runs.prepareRowCopies(archive: options.archiveTable, exportPath: options.exportPath)
            let leftovers = try dropDetachedLeftovers()
            let dropped = try drop(try expiredPartitions(arms, now: now), arms: arms)
            var summary = try purge(PurgeWalk.group(passes), export: export, filter: filter, progress: progress, shouldStop: shouldStop)
            summary.droppedPartitions = dropped.map { Self.summary($0.partition, took: $0.took) }
            summary.droppedLeftovers = leftovers
            return summary
        }
    }

    private static func summary(_ partition: TablePartition, took: Duration) -> PurgeSummary.DroppedPartition {
        PurgeSummary.DroppedPartition(name: partition.name.description, estimatedRows: partition.estimatedRows, duration: took)
    }

    private func purge(
        _ walks: [PurgeWalk], export: PurgeExport?, filter: (PurgeWalk) throws -> PurgeFilter, progress: ((PurgeProgress) -> Void)?,
        shouldStop: () -> Bool
    ) throws -> PurgeSummary {
        var summary = PurgeSummary(dryRun: false)

        let clock = ContinuousClock()
        let start = clock.now
        var rowsSoFar = 0
        let strategy = PurgeStrategy.forPurge(on: connection.backend, copyingRows: export != nil || options.archiveTable != nil)
        walkLoop: for var walk in walks {
            var filter = try filter(walk)
            let decision = try chooseOrder(filter)
            summary.orders.append(PurgeSummary.WalkOrder(statuses: walk.passes.map(\.value), kind: walk.passes[0].kind, decision: decision))
            for index in walk.passes.indices { walk.passes[index].order = decision.order }
            let copying = export != nil || options.archiveTable != nil
            var cursor = IdCursor(batchSize: options.batchSize, rowLimit: rowLimit, timed: readsIdsFirst(copying: copying))
            if decision.order == .primaryKey { cursor.blocks = try blockWalk(copying: copying) }
            while true {
                if shouldStop() {
                    summary.stoppedEarly = .stopRequested
                    summary.passes += walk.passes
                    break walkLoop
                }
                if let maxDuration = options.maxDuration, clock.now - start >= maxDuration {
                    summary.stoppedEarly = .maxDuration
                    summary.passes += walk.passes
                    break walkLoop
                }
                let batchStart = clock.now
                let deleted: [Int]
                let more: Bool
                switch (decision.order, strategy) {
                case (.primaryKey, _):
                    let start = cursor
                    (deleted, more) = try retryingRolledBack(export: export, retried: &summary.retriedBatches) {
                        cursor = start
                        return try deleteIdRange(filter, cursor: &cursor, export: export)
                    }
                case (.finishTime, .keyBatches):
                    let batch = try retryingRolledBack(export: export, retried: &summary.retriedBatches) { try deleteKeyBatch(filter) }
                    (deleted, more) = (batch.deleted, batch.next != nil)
                    if let next = batch.next { filter.after = next }
                case (.finishTime, .rangeWalk):
                    let batch = try retryingRolledBack(export: export, retried: &summary.retriedBatches) { try deleteRange(filter, export: export) }
                    (deleted, more) = (batch.deleted, batch.next != nil)
                    if let next = batch.next { filter.after = next }
                }
                let total = deleted.reduce(0, +)
                if total > 0 {
                    walk.record(deleted, took: clock.now - batchStart)
                    rowsSoFar += total
                    progress?(PurgeProgress(passes: walk.passes, rowsSoFar: rowsSoFar, elapsed: clock.now - start))
                }
                guard more else { break }
                if options.pause > .zero { Thread.sleep(forTimeInterval: options.pause.seconds) }
            }
            summary.passes += walk.passes
        }
        return summary
    }

    /// A pass per (status value, kind rule): kinds with rules of their own first, then the rest.
    func plan() -> [PurgeSummary.Pass] {
        var passes: [PurgeSummary.Pass] = []
        let ruleKinds = options.kind.map { [$0] } ?? options.retention.kinds.keys.sorted()
        for status in RetentionPolicy.purgeable {
            for value in table.statuses[status] ?? [] {
                for kind in ruleKinds {
                    if let retention = options.retention.retention(status, kind: kind) {
                        passes.append(.init(status: status, value: value, kind: kind, retention: retention, exceptKinds: []))
                    }
                }
                if options.kind == nil, let retention = options.retention.statuses[status] {
                    passes.append(
                        .init(status: status, value: value, kind: nil, retention: retention, exceptKinds: options.retention.kinds.keys.sorted()))
                }
            }
        }
        return passes
    }
}
