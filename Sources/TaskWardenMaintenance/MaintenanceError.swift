import TaskWardenSchema

/// A maintenance operation that cannot run as asked on this table: nothing was done.
///
/// Raised before any statement that changes runs. The kinds carry what a caller needs to word
/// the message in its own terms: the library speaks of options (`PurgeOptions.retention`), and
/// the `taskwarden` command of the flags that set them (`--succeeded-older-than`).
public struct MaintenanceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What an operation needed a column for.
    public enum Purpose: String, Sendable, Hashable {
        /// `requestCancel` writes the time of the request.
        case requestingCancel = "asking runs to stop"
        /// Recovering to `queued` counts attempts against their limit.
        case requeueing
        /// Purging judges a run's age by its finish time.
        case purging
        /// A filter or a retention by kind.
        case filteringByKind = "filtering by kind"
        /// A `list` filter on the column (queue, worker, finish time).
        case listing = "this list filter"
    }

    public enum Kind: Sendable, Hashable {
        /// The table's mapping lacks columns the operation needs.
        case unmappedColumns([TaskTable.Column], table: String, purpose: Purpose)
        /// A column holds times, but its role holds text (a note written into a timestamp).
        case columnHoldsTimes(column: String, table: String, role: TaskTable.Column, declaredType: String)
        /// The mapping names a time zone, but a time column keeps its own (`timestamptz`,
        /// MySQL `TIMESTAMP`): its values are instants, and shifting them would be wrong.
        case zoneForZonedColumn(column: String, table: String, declaredType: String, zone: String)
        /// The journal table (`task_run_events`) does not exist: the schema was never migrated.
        case journalMissing
        /// A purge with no retention for any status.
        case noRetention
        /// A purge batch size below one.
        case batchSizeTooSmall(Int)
        /// A cancel request that names no run, by id or by kind.
        case noRunsNamed
        /// A reset that matches no status.
        case noStatusesToReset
        /// `recover` moves stuck runs to failed, cancelled or queued only.
        case recoverTarget(TaskStatus)
        /// No journal entries carry the batch id.
        case unknownBatch(String)
        /// The batch changed a table the current mapping does not describe.
        case batchForOtherTable(batchTable: String, mappedTable: String)
        /// A delete that names no runs: by id, kind or status.
        case noRunsToDelete
        /// A delete selects finished runs only; this status is not one.
        case deleteUnfinished(TaskStatus)
        /// The undo of a delete batch whose rows were not archived: there is nothing to put back.
        case deleteNotArchived(String)
        /// The undo of a batch that put deleted runs back: it has no old status to return to.
        case undoOfRestore(String)
        /// The undo of a delete batch whose archive table no longer exists.
        case archiveMissing(archive: String, batch: String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .unmappedColumns(let columns, let table, let purpose):
            let names = columns.map { "'\($0.rawValue)'" }.joined(separator: " and ")
            return "\(purpose.rawValue) needs the \(names) column\(columns.count == 1 ? "" : "s"), which table \(table) does not map"
        case .columnHoldsTimes(let column, let table, let role, let type):
            return "column \(column) of table \(table) holds times (\(type)), so it cannot be mapped as '\(role.rawValue)', which holds text"
        case .zoneForZonedColumn(let column, let table, let type, let zone):
            return "table \(table) maps time_zone \(zone), but column \(column) is \(type), which stores instants, not wall-clock times: remove time_zone (it is for columns without a zone)"
        case .journalMissing:
            return "the journal table task_run_events does not exist: run 'taskwarden migrate' first (it creates the journal next to your table)"
        case .noRetention:
            return "no retention given: set a retention for at least one of succeeded, failed and cancelled runs"
        case .batchSizeTooSmall(let size):
            return "the batch size must be at least 1, not \(size)"
        case .noRunsNamed:
            return "name the runs to cancel, by id or by kind"
        case .noStatusesToReset:
            return "a reset needs at least one status to match"
        case .recoverTarget(let status):
            return "recover marks stuck runs failed, cancelled or queued, not \(status.rawValue)"
        case .unknownBatch(let batch):
            return "no journal entries for batch '\(batch)'"
        case .batchForOtherTable(let batchTable, let mappedTable):
            return "batch entries are for table \(batchTable), which the current mapping (\(mappedTable)) does not describe; use the configuration that maps it"
        case .noRunsToDelete:
            return "name the runs to delete: by id, kind or finished status"
        case .deleteUnfinished(let status):
            return "delete removes finished runs only (succeeded, failed, cancelled), not \(status.rawValue) ones"
        case .deleteNotArchived(let batch):
            return "batch '\(batch)' deleted runs without an archive table: there is nothing to put back; nothing was changed"
        case .archiveMissing(let archive, let batch):
            return "batch '\(batch)' archived its runs in \(archive), which no longer exists: there is nothing to put back; nothing was changed"
        case .undoOfRestore(let batch):
            return "batch '\(batch)' put deleted runs back; to remove them again, delete them (with an archive table to keep undo possible); nothing was changed"
        }
    }
}
