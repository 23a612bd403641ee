import Foundation
import Metrics
import TaskWardenCore

/// The watchdog's series, through swift-metrics: whichever backend the process bootstrapped
/// (Prometheus, for `taskwarden watch --http`). Names and labels are documented in
/// docs/operations.md and checked by the tests.
struct WatchMetrics: Sendable {
    let table: String

    func record(_ cycle: WatchCycle) {
        Gauge(label: "taskwarden_watch_leader", dimensions: [("table", table)]).record(cycle.isLeader ? 1 : 0)
        Timer(label: "taskwarden_watch_cycle_duration_seconds", dimensions: [("table", table)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(cycle.duration.seconds * 1e9))
        Gauge(label: "taskwarden_watch_last_success_timestamp_seconds", dimensions: [("table", table)]).record(Date().timeIntervalSince1970)
        guard cycle.isLeader else { return }
        Gauge(label: "taskwarden_stuck_runs", dimensions: [("table", table)]).record(cycle.stuckFound)
        for (status, count) in cycle.recoveredByStatus where count > 0 {
            Counter(label: "taskwarden_runs_recovered_total", dimensions: [("table", table), ("status", status)]).increment(by: count)
        }
        for purged in cycle.purgedByStatus where purged.rows > 0 {
            Counter(label: "taskwarden_runs_purged_total", dimensions: [("table", table), ("status", purged.status), ("kind", purged.kind ?? "*")])
                .increment(by: purged.rows)
        }
        for (status, count) in cycle.active {
            Gauge(label: "taskwarden_runs", dimensions: [("table", table), ("status", status)]).record(count)
        }
    }

    func recordFailure(_ error: any Error) {
        let category: String
        switch error {
        case let error as DatabaseError: category = "\(error.category)"
        case is WatchError: category = "lease_lost"
        default: category = "other"
        }
        Counter(label: "taskwarden_watch_errors_total", dimensions: [("table", table), ("category", category)]).increment()
    }
}
