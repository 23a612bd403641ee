import TaskWardenCore
import TaskWardenSchema

/// What a purge deletes, how fast, and where the deleted rows go.
public struct PurgeOptions: Sendable {
    public var retention: RetentionPolicy
    /// Only runs of this kind.
    public var kind: String?
    /// Rows per batch; each batch is one transaction.
    public var batchSize = 5_000
    /// Stop between batches once this much time has passed.
    public var maxDuration: Duration?
    /// Sleep between batches, to leave room for other work (and replicas to catch up).
    public var pause: Duration = .zero
    /// Count what would go, per status and kind, and delete nothing.
    public var dryRun = false
    /// Move the rows into this table, in the same transaction as the delete.
    public var archiveTable: SQLIdentifier?
    /// Write the rows as JSON Lines to this file, synced before their batch is deleted.
    public var exportPath: String?
    /// The order to walk the table in; `nil` chooses per walk from the database's statistics
    /// (``PurgeOrderDecision/choose(_:)``).
    public var order: PurgeOrder?
    /// On a table partitioned by a range of time, drop the partitions whose rows are all past
    /// retention, in one statement each, before deleting the rest by batches (see
    /// ``TaskRuns/purge(_:progress:shouldStop:)``). Off: every row goes by batches.
    public var dropPartitions = true

    public init(retention: RetentionPolicy) {
        self.retention = retention
    }
}

/// What a purge did, per status value and kind rule.
public struct PurgeSummary: Sendable {
    /// What was purged of one status value under one kind rule.
    public struct Pass: Sendable {
        public let status: TaskStatus
        /// The table's value.
        public let value: String
        /// The kind this pass is for; `nil` for every kind without a rule of its own.
        public let kind: String?
        public let retention: Duration
        /// For the every-other-kind pass: the kinds with rules of their own, left to their passes.
        let exceptKinds: [String]
        public internal(set) var rows = 0
        public internal(set) var batches = 0
        /// The pass's share of its batches' time (a batch of several statuses is shared by rows).
        public internal(set) var duration: Duration = .zero
        /// The pass's largest share of one batch, measured like `duration`: never longer than it.
        public internal(set) var longestBatch: Duration = .zero
        /// The order its walk took (``PurgeSummary/orders`` says why).
        public internal(set) var order: PurgeOrder = .finishTime
    }

    /// The order one walk (the statuses of one kind rule, purged together) took, and why.
    public struct WalkOrder: Sendable {
        /// The walk's status values.
        public let statuses: [String]
        /// The kind of its kind rule; `nil` for every kind without a rule of its own.
        public let kind: String?
        public let decision: PurgeOrderDecision
    }

    /// The order of each walk, in the order walked (a dry run: the order each would take).
    public internal(set) var orders: [WalkOrder] = []

    public internal(set) var passes: [Pass] = []

    /// A partition dropped whole (a dry run: one that would be).
    public struct DroppedPartition: Sendable, Hashable {
        /// The partition's name (schema-qualified on PostgreSQL).
        public let name: String
        /// The catalog's estimate of its rows: counting them exactly would read them all.
        public let estimatedRows: Int
        /// How long its second check and its detach (PostgreSQL) or drop (MySQL) held the
        /// table's lock; zero in a dry run. (PostgreSQL frees the files afterwards, unlocked.)
        public let duration: Duration
    }

    /// The partitions dropped whole, before the batches (a dry run: that would be).
    public internal(set) var droppedPartitions: [DroppedPartition] = []
    /// Partitions an earlier, interrupted purge had detached and this one dropped (PostgreSQL).
    public internal(set) var droppedLeftovers: [String] = []
    /// Dry run: what would go, by status value and kind (`nil` kind: unmapped or NULL).
    public internal(set) var wouldDelete: [(status: String, kind: String?, rows: Int)] = []
    public let dryRun: Bool

    init(dryRun: Bool) { self.dryRun = dryRun }

    /// Why a purge stopped before the end; it is safe to run again, and continues.
    public enum StopReason: String, Sendable, Hashable, CustomStringConvertible {
        /// The caller's `shouldStop` said so (a signal, in the CLI).
        case stopRequested = "stop requested"
        /// `PurgeOptions.maxDuration` passed.
        case maxDuration = "max duration"

        public var description: String { rawValue }
    }

    /// A batch size lowered to stay under a Galera cluster's write-set limits.
    public struct BatchSizeCap: Sendable, Hashable {
        /// ``PurgeOptions/batchSize`` as asked for.
        public let requested: Int
        /// The batch size used.
        public let batchSize: Int
        /// The cluster's `wsrep_max_ws_rows`, `nil` when unlimited.
        public let maxWriteSetRows: Int?
        /// The cluster's `wsrep_max_ws_size` in bytes.
        public let maxWriteSetBytes: Int?
    }

    /// Set when the batch size was capped for a Galera cluster's write-set limits.
    public internal(set) var batchSizeCap: BatchSizeCap?

    /// Batches run again after a deadlock or a failed Galera certification rolled them back.
    public internal(set) var retriedBatches = 0

    /// Why the purge stopped before the end; `nil` if it finished.
    public internal(set) var stoppedEarly: StopReason?

    public var rows: Int { dryRun ? wouldDelete.reduce(0) { $0 + $1.rows } : passes.reduce(0) { $0 + $1.rows } }
    public var duration: Duration { passes.reduce(.zero) { $0 + $1.duration } }
    public var longestBatch: Duration { passes.map(\.longestBatch).max() ?? .zero }
}

/// Reported after each batch, for progress lines.
public struct PurgeProgress: Sendable {
    /// The passes of the walk the batch belongs to: the statuses purged together.
    public let passes: [PurgeSummary.Pass]
    /// Rows deleted so far in the whole purge.
    public let rowsSoFar: Int
    public let elapsed: Duration
}
