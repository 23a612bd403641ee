import Foundation
import TaskWardenCore
import TaskWardenSchema

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
            throw MaintenanceError(.unmappedColumns([.finishedAt], table: table.name.description, purpose: .purging))
        }
        guard !options.retention.isEmpty else {
            throw MaintenanceError(.noRetention)
        }
        guard options.batchSize >= 1 else { throw MaintenanceError(.batchSizeTooSmall(options.batchSize)) }
        try checkTimeZone(of: table)
        if (options.kind != nil || !options.retention.kinds.isEmpty) && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        if let path = options.exportPath {
            // The real run creates or appends to the file; its folder must let it.
            let folder = (path as NSString).deletingLastPathComponent
            let existing = FileManager.default.fileExists(atPath: path)
            guard existing ? FileManager.default.isWritableFile(atPath: path) : FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                throw PurgeExportError(path: path, action: existing ? .open : .create, cause: String(cString: strerror(EACCES)))
            }
        }
    }
}
