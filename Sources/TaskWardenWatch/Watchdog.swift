import Foundation
import Logging
import ServiceLifecycle
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// What one cycle did.
public struct WatchCycle: Sendable {
    /// Whether this replica led the cycle; a follower does nothing else.
    public var isLeader = false
    /// Stuck runs found at the start of the cycle.
    public var stuckFound = 0
    /// Runs recovered (parents included).
    public var recovered = 0
    /// Runs of the task table recovered, per status value written.
    public var recoveredByStatus: [String: Int] = [:]
    /// Runs purged, when a purge was due.
    public var purged = 0
    /// Runs purged per status value and kind rule (`nil`: the statuses' own retention).
    public var purgedByStatus: [(status: String, kind: String?, rows: Int)] = []
    /// Queued and running runs after the cycle, per status value.
    public var active: [String: Int] = [:]
    public var purgeRan = false
    public var duration: Duration = .zero
}

/// The watchdog: every ``WatchOptions/interval``, recovers stuck runs and, when due, purges,
/// on the replica that holds the table's lease; a swift-service-lifecycle `Service`.
///
/// Teams run such a loop on every application server, so it acts once across replicas
/// (``WatchLeadership``), keeps going through database outages (a failed cycle is logged and
/// the next one, after a backoff, starts afresh), and stops gracefully: on shutdown it lets
/// the batch in flight finish, releases the lease so another replica takes over at once, and
/// returns.
public struct Watchdog: Service {
    private let access: any DatabaseAccess
    private let table: TaskTable
    private let options: WatchOptions
    private let leadership: WatchLeadership
    private let metrics: WatchMetrics
    private let logger: Logger
    /// Called after each cycle, for metrics and tests.
    private let onCycle: (@Sendable (Result<WatchCycle, any Error>) -> Void)?

    public init(
        access: any DatabaseAccess, table: TaskTable, options: WatchOptions, leadership: WatchLeadership, logger: Logger,
        onCycle: (@Sendable (Result<WatchCycle, any Error>) -> Void)? = nil
    ) {
        self.access = access
        self.table = table
        self.options = options
        self.leadership = leadership
        self.metrics = WatchMetrics(table: table.name.description)
        self.logger = logger
        self.onCycle = onCycle
    }

    public func run() async throws {
        let stop = StopFlag()
        defer { leadership.release() }
        await withGracefulShutdownHandler {
            var failures = 0
            var lastPurge: ContinuousClock.Instant?
            while !stop.isSet && !Task.isCancelled {
                var wait = options.interval
                do {
                    let purgeDue = options.purgeInterval.map { interval in lastPurge.map { ContinuousClock.now - $0 >= interval } ?? true } ?? false
                    let cycle = try await self.cycle(purge: purgeDue, stop: stop)
                    if cycle.purgeRan { lastPurge = ContinuousClock.now }
                    failures = 0
                    log(cycle)
                    metrics.record(cycle)
                    onCycle?(.success(cycle))
                } catch {
                    failures += 1
                    wait = Self.backoff(after: failures, interval: options.interval)
                    logger.error(
                        "watch cycle failed", metadata: ["error": "\(error)", "retry_in_ms": "\(Int(wait.seconds * 1_000))", "table": "\(table.name)"])
                    metrics.recordFailure(error)
                    onCycle?(.failure(error))
                }
                guard !stop.isSet else { break }
                // Shutdown cuts the wait short: a watchdog between cycles stops at once, not
                // when the interval (an hour, say) is over.
                let pause = wait
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            }
        } onGracefulShutdown: {
            stop.set()
        }
    }

    /// One cycle: claim or keep the lease; as leader, recover, then purge when `purge` is due.
    public func cycle(purge: Bool, stop: StopFlag = StopFlag()) async throws -> WatchCycle {
        let started = ContinuousClock.now
        var cycle = WatchCycle()
        let leadership = self.leadership
        cycle.isLeader = try await Self.offload { try leadership.refresh() }
        guard cycle.isLeader else {
            cycle.duration = ContinuousClock.now - started
            return cycle
        }
        let options = self.options
        let recover = RecoverOptions(policy: options.stuck, target: options.recoverTo, reason: options.reason)
        let recovered = try await access.withTaskRuns(table: table, actor: options.actor ?? leadership.owner, retry: .never) { runs in
            var runs = runs
            runs.fence = leadership.fence
            let result = try runs.recover(recover)
            return (result.found, result.changed.count, result.changed.byStatus)
        }
        (cycle.stuckFound, cycle.recovered, cycle.recoveredByStatus) = recovered
        if purge, !stop.isSet, !options.retention.isEmpty {
            let purged = try await access.withTaskRuns(table: table, actor: options.actor ?? leadership.owner, retry: .never) { runs in
                var runs = runs
                runs.fence = leadership.fence
                let summary = try runs.purge(PurgeOptions(retention: options.retention), shouldStop: { stop.isSet })
                return summary.passes.map { (status: $0.value, kind: $0.kind, rows: $0.rows) }
            }
            cycle.purgedByStatus = purged
            cycle.purged = purged.reduce(0) { $0 + $1.rows }
            cycle.purgeRan = true
        }
        cycle.active = try await access.withTaskRuns(table: table, retry: .never) { try $0.activeCounts() }
        cycle.duration = ContinuousClock.now - started
        return cycle
    }

    private func log(_ cycle: WatchCycle) {
        var metadata: Logger.Metadata = [
            "table": "\(table.name)", "role": "\(cycle.isLeader ? "leader" : "follower")", "took_ms": "\(Int(cycle.duration.seconds * 1_000))",
        ]
        if cycle.isLeader {
            metadata["recovered"] = "\(cycle.recovered)"
            if cycle.purgeRan { metadata["purged"] = "\(cycle.purged)" }
        }
        logger.info("watch cycle", metadata: metadata)
    }

    /// Twice the interval per failure in a row, from one interval up to five minutes (or the
    /// interval, if longer).
    static func backoff(after failures: Int, interval: Duration) -> Duration {
        let factor = Double(1 << min(failures - 1, 10))
        return min(interval * factor, max(interval, .seconds(300)))
    }

    /// Runs blocking work (the lease's C calls) off Swift's cooperative pool.
    private static func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Set once, read from any thread: tells the work in flight that shutdown was asked for.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public init() {}
    public var isSet: Bool { lock.withLock { value } }
    public func set() { lock.withLock { value = true } }
}
