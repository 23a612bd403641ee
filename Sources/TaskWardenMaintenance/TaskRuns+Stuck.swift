import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// A run that is `running` but has shown no sign of life for longer than its threshold.
public struct StuckRun: Sendable, Hashable {
    public let id: DatabaseValue
    public let kind: String?
    /// The table's own status value.
    public let status: String
    public let startedAt: Timestamp?
    public let heartbeatAt: Timestamp?
    /// The heartbeat, else the start time.
    public let lastSeen: Timestamp
    /// How long since the last sign of life, by the database's clock.
    public let silentFor: Duration
    public let threshold: Duration
    /// Where the table maps them: the worker that took it, and how far it got.
    public var worker: String? = nil
    public var progress: Double? = nil
}

extension TaskRuns {
    /// The stuck runs, longest silent first, judged by the database's clock.
    ///
    /// Reads only running rows, through the status index. Per-kind thresholds are applied to
    /// the candidates the smallest threshold selects.
    public func findStuck(policy: StuckPolicy, kind: String? = nil, limit: Int? = nil) throws -> [StuckRun] {
        try findStuck(policy: policy, kind: kind, limit: limit, now: DatabaseClock.now(on: connection))
    }

    func findStuck(policy: StuckPolicy, kind: String?, limit: Int?, now: Timestamp) throws -> [StuckRun] {
        if kind != nil && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        try checkTimeZone(of: table)
        let smallest = policy.smallestThreshold(kind: kind)
        let singleThreshold = kind != nil || policy.kindThresholds.values.allSatisfy { $0 == policy.defaultThreshold }
        let statement = SQL.Runs.SelectStuck(
            runningStatuses: table.values(.running), cutoff: table.times.encode(try now.cutoff(olderThan: smallest)),
            kind: kind.map(DatabaseValue.text) ?? .null,
            // With per-kind thresholds the limit applies after filtering, in Swift.
            limit: .integer(Int64(singleThreshold ? (limit ?? 1_000_000) : 1_000_000)), byKind: kind != nil)
        let rows = try connection.query(statement, names: names())
        var stuck: [StuckRun] = []
        for row in rows {
            let runKind = try row.decode(String?.self, .kind)
            let startedAt = table.times.decode(row.startedAt)
            let heartbeatAt = table.times.decode(row.heartbeatAt)
            guard let lastSeen = heartbeatAt ?? startedAt else { continue }
            let threshold = policy.threshold(forKind: runKind)
            let silentFor = Duration.microseconds(now.microsecondsSinceEpoch - lastSeen.microsecondsSinceEpoch)
            guard silentFor > threshold else { continue }
            stuck.append(
                StuckRun(
                    id: row.id, kind: runKind, status: try row.decode(String.self, .status),
                    startedAt: startedAt, heartbeatAt: heartbeatAt, lastSeen: lastSeen, silentFor: silentFor,
                    threshold: threshold, worker: try row.decode(String?.self, .worker), progress: Double.fromDatabaseValue(row.progress)))
        }
        stuck.sort { $0.lastSeen < $1.lastSeen }
        if let limit { stuck = Array(stuck.prefix(limit)) }
        return stuck
    }
}
