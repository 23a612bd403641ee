import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// What a ``Watchdog`` does each cycle, and how often.
public struct WatchOptions: Sendable {
    /// Time between cycles.
    public var interval: Duration = .seconds(60)
    /// How long a leader's lease lasts without a heartbeat: a replica takes over at most this
    /// long after the leader died or was cut off.
    public var leaseDuration: Duration = .seconds(30)
    /// When a run counts as stuck (per kind, as for `recover`).
    public var stuck: StuckPolicy
    /// What stuck runs become.
    public var recoverTo: TaskStatus = .failed
    /// Who the journal names for the changes; `nil`: the lease's owner (host, pid, suffix).
    public var actor: String?
    /// Written into recovered runs and the journal.
    public var reason = "taskwarden watch: no sign of life past the threshold"
    /// How often to purge, with ``retention``; `nil`: never.
    public var purgeInterval: Duration?
    public var retention = RetentionPolicy()

    public init(stuck: StuckPolicy) {
        self.stuck = stuck
    }
}
