import Foundation
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// Every change as one pair of calls: ``preview(_:reason:on:actor:batchSize:)`` says what it would
/// do, changing nothing, and ``apply(_:reason:on:actor:bulk:)`` does it.
///
/// Each case runs the library call of its CLI command (`recover`, `reset`, `requestCancel`,
/// `delete`, `purge`, `undo`), with its own dry run or preview, and the script of the same call
/// as `--show-sql` prints it (its first batches, in a preview); a door (the dashboard) adds
/// only its guards, never a change of its own.
extension AdminActions {
    /// How many runs a preview lists.
    public static let previewSampleSize = 20

    /// How many of a change's batches a preview's script shows; its last comment says how
    /// many more the change takes (`--show-sql` prints them all).
    public static let previewScriptBatches = 3

    /// What `change` would do now, changing nothing. `reason` is checked as the change will
    /// check it (a preview may pass a placeholder); `batchSize` is the one apply will use
    /// (`nil`: the library's default for the backend).
    public func preview(
        _ change: AdminChange, reason: String, on watched: AdminServer.Table, actor: String, batchSize: Int? = nil
    ) async throws -> ChangePreview {
        try await access.withTaskRuns(table: watched.table, actor: actor, retry: .never) { runs in
            let size = batchSize ?? TaskRuns.changeBatchSize(for: runs.connection.dialect.backend)
            let n = Self.previewSampleSize
            var found = 0
            var sample: [ChangePreview.Run] = []
            var counts: [ChangePreview.Count] = []
            var leftAlone = 0
            var leftAloneSample: [ChangePreview.Run] = []
            var refused: [RefusedRun] = []
            var pageSize = size
            switch change {
            case .recover(var options):
                options.dryRun = true
                options.reason = reason
                let result = try runs.recover(options, bulk: BulkOptions(sampleSize: n))
                found = result.found
                sample = result.stuck.prefix(n).map {
                    .init(id: $0.id.plainText, status: $0.status, kind: $0.kind, detail: "silent for \($0.silentFor.ageText) (threshold \($0.threshold.compactText))")
                }
            case .reset(let filter, let target):
                try runs.table.checkWritable(target)
                let preview = try runs.previewReset(filter, reason: reason, sampleSize: n)
                (found, sample) = (preview.count, preview.sample.map(Self.run))
            case .cancel(let ids, let kinds):
                let preview = try runs.previewCancel(ids: ids, kinds: kinds, reason: reason, sampleSize: n)
                (found, sample) = (preview.count, preview.sample.map(Self.run))
            case .delete(let filter, let archive):
                let preview = try runs.previewDelete(filter, reason: reason, options: DeleteOptions(archiveTable: archive), sampleSize: n)
                (found, sample, refused) = (preview.count, preview.sample.map(Self.run), preview.refused)
            case .purge(var options):
                options.dryRun = true
                pageSize = options.batchSize
                let summary = try runs.purge(options)
                found = summary.rows
                counts = summary.wouldDelete.map { .init(status: $0.status, kind: $0.kind, rows: $0.rows) }
            case .undo(let batch):
                let result = try runs.undo(batchID: batch, dryRun: true, options: BulkOptions(batchSize: size, sampleSize: n))
                found = result.restored.count
                leftAlone = result.skipped.count
                leftAloneSample = result.skipped.sample.map {
                    .init(id: $0.runID, status: $0.currentStatus ?? "gone", kind: nil, detail: "the batch set \($0.batchStatus ?? "it deleted")")
                }
                let skippedIDs = Set(result.skipped.sample.map(\.runID))
                // The batch's first entries, less those shown as left alone: what goes back.
                sample = try runs.journal(batchID: batch, limit: n + skippedIDs.count).filter { !skippedIDs.contains($0.runID) }.prefix(n).map {
                    .init(id: $0.runID, status: $0.newStatus ?? "deleted", kind: nil, detail: "back to \($0.oldStatus ?? "the table, from the archive")")
                }
            }
            // The count and the sample above read the selection once. The script is the
            // change's first batches only, as `--show-sql` records them: the change stops
            // before reading the next batch's bounds, so a preview of 3 M rows costs about
            // what one of a few thousand does, and its page stays short.
            let first = BatchLimit(Self.previewScriptBatches)
            let recorded = try runs.script(change.command) { recorder in
                _ = try Self.run(change, reason: reason, on: recorder, bulk: BulkOptions(batchSize: size, shouldStop: first.shouldStop))
            }
            // An undo's pages are of the batch's journal entries, those it leaves alone included.
            let units = found + leftAlone
            let batches = units == 0 ? 0 : (units + pageSize - 1) / pageSize
            let more = first.stopped ? max(batches - first.limit, 0) : 0
            return ChangePreview(
                found: found, sample: sample, counts: counts, leftAlone: leftAlone, leftAloneSample: leftAloneSample, refused: refused,
                script: recorded.text(moreBatches: more), statements: recorded.statements, batches: batches, batchSize: pageSize,
                moreBatches: more)
        }
    }

    /// Makes `change`, journaled as `actor` with `reason` (a purge is not journaled, as in the
    /// CLI); `bulk` sets the batch size, reports progress after each batch and can stop it
    /// between batches, every batch so far committed.
    public func apply(
        _ change: AdminChange, reason: String, on watched: AdminServer.Table, actor: String, bulk: BulkOptions = BulkOptions()
    ) async throws -> ChangeOutcome {
        try await access.withTaskRuns(table: watched.table, actor: actor, retry: .never) { runs in
            try Self.run(change, reason: reason, on: runs, bulk: bulk)
        }
    }

    /// The library call of `change`: what apply runs, and what the preview's script records.
    private static func run(_ change: AdminChange, reason: String, on runs: TaskRuns, bulk: BulkOptions) throws -> ChangeOutcome {
        switch change {
        case .recover(var options):
            options.reason = reason
            options.dryRun = false
            let result = try runs.recover(options, bulk: bulk)
            return ChangeOutcome(changed: result.changed.count, skipped: result.skipped, batchID: result.batchID, stoppedEarly: false)
        case .reset(let filter, let target):
            let result = try runs.reset(filter, to: target, reason: reason, options: bulk)
            return ChangeOutcome(changed: result.changed.count, skipped: result.skipped, batchID: result.batchID, stoppedEarly: false)
        case .cancel(let ids, let kinds):
            let result = try runs.requestCancel(ids: ids, kinds: kinds, reason: reason, options: bulk)
            return ChangeOutcome(changed: result.changed.count, skipped: 0, batchID: result.batchID, stoppedEarly: false)
        case .delete(let filter, let archive):
            let result = try runs.delete(filter, reason: reason, options: DeleteOptions(archiveTable: archive, bulk: bulk))
            return ChangeOutcome(changed: result.deleted.count, skipped: result.skipped, batchID: result.batchID, stoppedEarly: result.stoppedEarly)
        case .purge(var options):
            options.dryRun = false
            var batches = 0
            let summary = try runs.purge(
                options,
                progress: { progress in
                    batches += 1
                    bulk.progress?(BulkProgress(done: progress.rowsSoFar, expected: bulk.expected, batches: batches, elapsed: progress.elapsed))
                },
                shouldStop: { bulk.shouldStop?() ?? false })
            return ChangeOutcome(changed: summary.rows, skipped: 0, batchID: nil, stoppedEarly: summary.stoppedEarly != nil)
        case .undo(let batch):
            let result = try runs.undo(batchID: batch, reason: reason, options: bulk)
            return ChangeOutcome(changed: result.restored.count, skipped: result.skipped.count, batchID: result.batchID, stoppedEarly: false)
        }
    }

    private static func run(_ candidate: ResetCandidate) -> ChangePreview.Run {
        let seen = candidate.heartbeatAt ?? candidate.startedAt
        return .init(
            id: candidate.id.plainText, status: candidate.status, kind: candidate.kind,
            detail: seen.map { "last sign of life \(String($0.sqlText.prefix(19))) UTC" } ?? "never started")
    }
}
