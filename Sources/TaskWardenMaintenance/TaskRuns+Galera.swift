import TaskWardenCore
import TaskWardenLocking

extension TaskRuns {
    /// The batch size of a bulk change or an undo: ``BulkOptions/batchSize`` or the backend's
    /// default, capped below a Galera cluster's write-set limits.
    ///
    /// A batch journals each run and changes it, and may follow its parent or copy it into an
    /// archive: three rows of write set per run (``GaleraNode/batchLimit(rowsPerRun:)``). A batch
    /// over `wsrep_max_ws_rows` or `wsrep_max_ws_size` would fail whole, every time.
    func changeBatchSize(_ options: BulkOptions) throws -> Int {
        let requested = options.batchSize ?? Self.changeBatchSize(for: dialect.backend)
        guard requested >= 1 else { throw MaintenanceError(.batchSizeTooSmall(requested)) }
        guard let limit = try GaleraNode.detect(on: connection)?.batchLimit(rowsPerRun: 3) else { return requested }
        return min(requested, limit)
    }
}
