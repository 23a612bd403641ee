import Foundation

/// Lets a change run its first `limit` batches, then stops it: how a preview records the
/// script of a change's first batches, however many the change would take.
///
/// Its ``shouldStop`` goes into ``BulkOptions/shouldStop``, which every change asks before
/// each batch (a bulk change before reading its next batch's bounds, an undo before each page,
/// a purge before each range), so the stopped change reads nothing more of its selection. The
/// same hook as the dashboard's cancel button: a second way to stop a change would be a second
/// walk to keep right.
package final class BatchLimit: @unchecked Sendable {
    package let limit: Int
    private let lock = NSLock()
    /// Guarded by `lock`: a change asks from the thread it runs on, which may not be the
    /// caller's.
    private var asked = 0

    package init(_ limit: Int) {
        self.limit = limit
    }

    /// No for the first `limit` batches, then yes.
    package var shouldStop: @Sendable () -> Bool {
        { [self] in
            lock.withLock {
                asked += 1
                return asked > limit
            }
        }
    }

    /// Whether it stopped the change: the change asked for another batch after `limit`. (A
    /// bulk change asks once more after an exactly full last batch, and finds nothing.)
    package var stopped: Bool {
        lock.withLock { asked > limit }
    }
}
