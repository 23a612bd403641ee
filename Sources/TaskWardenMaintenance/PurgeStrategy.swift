import TaskWardenCore
import TaskWardenSchema

/// How the finish-time walk (``PurgeOrder/finishTime``) finds each batch of purgeable rows and
/// deletes it. (The primary-key walk, ``PurgeOrder/primaryKey``, deletes id ranges; without
/// rows to copy, SQLite reads each range's ids first as ``keyBatches`` does, and PostgreSQL goes
/// by ranges of the table's blocks.)
///
/// Both walk a kind rule's statuses together in `(finished_at, id)` order (see ``PurgeWalk``),
/// each batch starting after the previous batch's last key; they differ in how a batch is
/// deleted, and the faster one depends on the backend. Measured on 2 M rows: PostgreSQL and
/// MySQL delete a key range through the `(status, finished_at, id)` index fastest (on
/// PostgreSQL, 40 % less server time than selecting row ids and deleting by TID; one statement
/// that finds the boundary and deletes up to it is planned as a sequential scan, since the
/// planner cannot see the boundary). SQLite deletes by rowid three to four times faster than
/// through an index, so there the batch's ids are read first.
public enum PurgeStrategy: Sendable, Hashable {
    /// `next_boundary.sql` finds the batch's last key, then `delete_range.sql` deletes each
    /// arm's key range (exported and archived first, in the same transaction). Every dialect
    /// has it; archive and export always use it, since they copy the same range they delete.
    case rangeWalk
    /// `select_batch.sql` reads the batch's ids (a JSON array per arm) and last key, then
    /// `delete_ids.sql` deletes each arm's ids (SQLite).
    case keyBatches

    /// The strategy for a purge on `backend` that archives or exports rows, or does neither.
    public static func forPurge(on backend: DatabaseBackend, copyingRows: Bool) -> PurgeStrategy {
        guard !copyingRows else { return .rangeWalk }
        switch backend {
        case .sqlite: return .keyBatches
        case .postgresql, .mysql: return .rangeWalk
        }
    }
}
