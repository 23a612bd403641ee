import Foundation
import TaskWardenMaintenance

/// The overview's last "finished per hour" per table, so a refresh counts only the hour in
/// progress and the hours it lacks (``TaskRuns/finishedPerHour(hours:reusing:)``).
///
/// Counting a busy table's last day reads every run finished in it, a few hundred thousand
/// rows, on each refresh of a page that polls. A completed hour's count changes only when a
/// run is deleted or finishes back-dated, so it is kept for ``lifetime`` and then counted
/// again: a chart is at most that old in its past hours, never in the current one.
final class HourlyFinishesCache: @unchecked Sendable {
    static let lifetime: Duration = .seconds(300)
    private struct Entry {
        let counted: ContinuousClock.Instant
        let finishes: HourlyFinishes
    }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The last result for `table`, if its past hours were counted within ``lifetime``.
    func known(for table: String) -> HourlyFinishes? {
        let now = ContinuousClock.now
        return lock.withLock { entries[table].flatMap { now - $0.counted < Self.lifetime ? $0.finishes : nil } }
    }

    /// Keeps `finishes` for `table`. `reused`: whether they were made from ``known(for:)``, so
    /// their past hours are as old as that result's (and counted again once it expires).
    func store(_ finishes: HourlyFinishes, for table: String, reused: Bool) {
        let now = ContinuousClock.now
        lock.withLock {
            let counted = reused ? entries[table]?.counted ?? now : now
            entries[table] = Entry(counted: counted, finishes: finishes)
        }
    }
}
