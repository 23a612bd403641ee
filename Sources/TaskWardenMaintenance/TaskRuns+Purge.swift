import Foundation
import TaskWardenCore

extension TaskRuns {
    /// Deletes finished runs past their retention, in batches that each commit on their own.
    ///
    /// Each kind rule is walked in `(finished_at, id)` order, its statuses together, each batch
    /// starting after the previous batch's last key (see ``Purger`` and ``PurgeStrategy``).
    /// Session settings the purge changes on this connection are put back when it ends.
    ///
    /// - Parameters:
    ///   - progress: called after each batch.
    ///   - shouldStop: asked between batches; `true` stops cleanly (a signal, say).
    public func purge(
        _ options: PurgeOptions, progress: ((PurgeProgress) -> Void)? = nil, shouldStop: () -> Bool = { false }
    ) throws -> PurgeSummary {
        try Purger(runs: self, options: options).run(progress: progress, shouldStop: shouldStop)
    }

    /// The checks of a purge, for its real and its dry run alike: a dry run fails exactly where
    /// the real run would.
    func checkPurge(_ options: PurgeOptions) throws {
        guard table.has(.finishedAt) else {
            throw TaskTableError("purging needs the 'finished_at' column, which table \(table.name) does not map")
        }
        guard !options.retention.isEmpty else {
            throw TaskTableError("no retention given: pass --succeeded-older-than / --failed-older-than / --cancelled-older-than, or set retention in the configuration")
        }
        guard options.batchSize >= 1 else { throw TaskTableError("the batch size must be at least 1") }
        if (options.kind != nil || !options.retention.kinds.isEmpty) && !table.has(.kind) {
            throw TaskTableError("table \(table.name) maps no 'kind' column, so retention cannot be per kind")
        }
        if let path = options.exportPath {
            // The real run creates or appends to the file; its folder must let it.
            let folder = (path as NSString).deletingLastPathComponent
            let existing = FileManager.default.fileExists(atPath: path)
            guard existing ? FileManager.default.isWritableFile(atPath: path) : FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                throw TaskTableError("cannot write the export file \(path)")
            }
        }
    }
}
