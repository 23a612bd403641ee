import Foundation
import TaskWardenCore
import TaskWardenLocking

/// What a purge does differently on a Galera node: batches capped below the cluster's
/// write-set limits, and a batch rolled back by a deadlock or a failed certification run again.
extension Purger {
    /// The batch size cap for `options` on `connection`'s server, or `nil` when it needs none.
    ///
    /// A batch deletes its rows, and copies each into the archive table first when there is
    /// one: one or two rows of write set per run (``GaleraNode/batchLimit(rowsPerRun:)``). A
    /// batch over `wsrep_max_ws_rows` or `wsrep_max_ws_size` fails whole, every time, so the
    /// purge would never advance.
    static func galeraCap(for options: PurgeOptions, on connection: any DatabaseConnection) throws -> PurgeSummary.BatchSizeCap? {
        guard let node = try GaleraNode.detect(on: connection),
            let limit = node.batchLimit(rowsPerRun: options.archiveTable == nil ? 1 : 2), limit < options.batchSize
        else { return nil }
        return PurgeSummary.BatchSizeCap(
            requested: options.batchSize, batchSize: limit, maxWriteSetRows: node.maxWriteSetRows, maxWriteSetBytes: node.maxWriteSetBytes)
    }

    /// How one batch is tried again when deadlocks or failed certifications roll it back:
    /// up to 20 attempts, waits from 10 ms doubling up to 1 s, with jitter, so that a batch
    /// that keeps meeting the same writer on another node lets it pass (about 15 s at most).
    static let rolledBackBatchRetry = RetryPolicy(maxAttempts: 20, initialDelay: .milliseconds(10), maxDelay: .seconds(1))

    /// Runs one batch, again when a deadlock rolled it back: on Galera, a batch whose rows
    /// another node changed meanwhile fails certification at `COMMIT` with the deadlock error
    /// (1213), and nothing of it was applied. The batch's exported rows are cut back first, so
    /// each row is exported once. `retried` counts the extra attempts.
    func retryingRolledBack<T>(export: PurgeExport?, retried: inout Int, _ batch: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try batch()
            } catch let error as DatabaseError where error.category == .deadlock && attempt < Self.rolledBackBatchRetry.maxAttempts {
                try export?.discardPending()
                attempt += 1
                retried += 1
                Thread.sleep(forTimeInterval: Self.rolledBackBatchRetry.delay(beforeAttempt: attempt).seconds)
            }
        }
    }
}
