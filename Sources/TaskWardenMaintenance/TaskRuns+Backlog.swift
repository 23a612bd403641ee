import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// How many finished runs are past their retention now: what the next purge would delete.
public struct PurgeBacklog: Sendable {
    /// One status value (and kind rule) of the retention.
    public struct Pass: Sendable {
        public let value: String
        /// The kind rule's kind; `nil` for every kind without a rule of its own.
        public let kind: String?
        public let retention: Duration
        public let rows: Int
        /// The count stopped at its cap: at least ``rows``.
        public let capped: Bool
    }

    public let passes: [Pass]

    public var rows: Int { passes.reduce(0) { $0 + $1.rows } }
    /// Some count stopped at its cap: the total is a lower bound.
    public var capped: Bool { passes.contains(where: \.capped) }
}

extension TaskRuns {
    /// The runs past `retention` now, per status value and kind rule, each count stopping at
    /// `cap`.
    ///
    /// Counted from the `(status, finished_at, id)` index (`sql/purge/count_capped.sql`, as the
    /// purge's own choice of walk counts), reading at most `cap` index entries per pass, so
    /// the dashboard can show the backlog of a table of millions at little cost.
    ///
    /// - Throws: what `purge` would refuse (no finish column, no retention, an unmapped kind).
    public func purgeBacklog(_ retention: RetentionPolicy, cap: Int = 10_000) throws -> PurgeBacklog {
        let purger = Purger(runs: self, options: PurgeOptions(retention: retention))
        try checkPurge(purger.options)
        let now = try DatabaseClock.now(on: connection)
        var passes: [PurgeBacklog.Pass] = []
        for pass in purger.plan() {
            let filter = PurgeFilter(PurgeWalk(passes: [pass]), cutoffs: [table.times.encode(try now.cutoff(olderThan: pass.retention))])
            let rows = try connection.query(filter.countCapped(arm: 0, cap: cap), names: names()).first?.decode(Int.self, .n) ?? 0
            passes.append(.init(value: pass.value, kind: pass.kind, retention: pass.retention, rows: rows, capped: rows >= cap))
        }
        return PurgeBacklog(passes: passes)
    }
}
