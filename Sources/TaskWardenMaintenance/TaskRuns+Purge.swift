import Foundation
import TaskWardenCore
import TaskWardenLocking
import TaskWardenSchema
import TaskWardenSQL

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
        var options = options
        let cap = try Purger.galeraCap(for: options, on: connection)
        if let cap { options.batchSize = cap.batchSize }
        var summary = try Purger(runs: self, options: options, rowLimit: cap?.batchSize).run(progress: progress, shouldStop: shouldStop)
        summary.batchSizeCap = cap
        return summary
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
        if let path = options.exportPath { try checkExportPath(path) }
    }

    /// Refuses an export file the real run could not create or append to (purge, delete).
    func checkExportPath(_ path: String) throws(PurgeExportError) {
        let folder = (path as NSString).deletingLastPathComponent
        let existing = FileManager.default.fileExists(atPath: path)
        guard existing ? FileManager.default.isWritableFile(atPath: path) : FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
            throw PurgeExportError(path: path, action: existing ? .open : .create, cause: String(cString: strerror(EACCES)))
        }
    }

    /// Where removed rows go, made ready before the first batch (purge, delete): the archive
    /// table created if missing, the export opened and a batch an interrupted run left pending
    /// resolved (cut back if its rows are still in the table).
    func prepareRowCopies(archive: SQLIdentifier?, exportPath: String?) throws -> PurgeExport? {
        if let archive {
            var names = names()
            names["archive"] = archive
            try connection.execute(SQL.Purge.CreateArchive(), names: names)
        }
        let export = try exportPath.map { path throws(PurgeExportError) in
            try PurgeExport(path: path, wallClockTimes: !table.times.zone.isUTC, idColumn: table.columns[.id]?.name ?? "id")
        }
        try export?.recover { ids in
            // On Galera the batch may have been committed through another node that died: the
            // check waits until this node has applied it, or it would cut back rows now gone.
            let count = { try connection.query(SQL.Purge.CountIds(ids: ids), names: names()).first?.decode(Int.self, .n) ?? 0 }
            guard try GaleraNode.detect(on: connection) != nil else { return try count() }
            return try GaleraNode.withCausalReads(on: connection, count)
        }
        return export
    }
}
