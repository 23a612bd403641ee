import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// A snapshot of a task table's health.
public struct TaskStats: Sendable {
    /// Runs by status and kind; `status` is `nil` for values the mapping does not know.
    public struct Count: Sendable, Hashable {
        public let status: TaskStatus?
        public let value: String
        public let kind: String?
        public let count: Int
    }

    public let now: Timestamp
    public let counts: [Count]
    /// The oldest last sign of life among running runs.
    public let oldestRunning: Timestamp?
    public let stuckCount: Int
    public let stuckThreshold: Duration
    /// Runs finished in the last hour and day, by the table's status value (the last day
    /// empty when not asked for).
    public let finishedLastHour: [String: Int]
    public let finishedLastDay: [String: Int]
    /// Bytes on disk (on SQLite, the whole database file), if the backend says.
    public let tableBytes: Int64?

    public var oldestRunningAge: Duration? {
        oldestRunning.map { .microseconds(now.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.count } }
}

extension TaskRuns {
    /// Counts by status and kind, the oldest running run, stuck runs under `policy`, recent
    /// finishes, and the table's size. `counts: false` leaves the counts out (empty): they read
    /// the whole table, which ``estimatedCounts(exactUpTo:cap:)`` avoids on a big one.
    /// `lastDay: false` counts the last hour's finishes only (`finishedLastDay` empty): a busy
    /// table finishes hundreds of thousands of runs a day, each one read to count it.
    public func stats(policy: StuckPolicy = StuckPolicy(), counts withCounts: Bool = true, lastDay: Bool = true) throws -> TaskStats {
        let now = try DatabaseClock.now(on: connection)
        let counts = try (withCounts ? connection.query(SQL.Runs.StatsCounts(), names: names()) : []).map { row in
            let value = try row.decode(String.self, .status)
            return TaskStats.Count(
                status: table.status(of: value), value: value, kind: try row.decode(String?.self, .kind),
                count: try row.decode(Int.self, .n))
        }
        let oldest = try connection.query(SQL.Runs.StatsOldestRunning(runningStatuses: table.values(.running)), names: names())
            .first.flatMap { table.times.decode($0.oldest) }
        let stuck = try findStuck(policy: policy, kind: nil, limit: nil, now: now)
        var lastHour: [String: Int] = [:]
        var finishedLastDay: [String: Int] = [:]
        if table.has(.finishedAt) {
            let statement = SQL.Runs.StatsFinishedRecently(
                hourAgo: table.times.encode(now.adding(seconds: -3_600)),
                finishedStatuses: RetentionPolicy.purgeable.flatMap(table.values),
                dayAgo: table.times.encode(now.adding(seconds: lastDay ? -86_400 : -3_600)))
            for row in try connection.query(statement, names: names()) {
                let status = try row.decode(String.self, .status)
                if lastDay { finishedLastDay[status] = try row.decode(Int.self, .lastDay) }
                let hour = try row.decode(Int.self, .lastHour)
                if hour > 0 { lastHour[status] = hour }
            }
        }
        // Each dialect's file takes the name in the form it needs.
        let bytes = try? connection.query(
            SQL.Runs.TableSize(quotedTableName: .text(dialect.quote(table.name)), tableName: .text(table.name.name))
        ).first?.decode(Int64?.self, .bytes)
        return TaskStats(
            now: now, counts: counts.sorted { ($0.value, $0.kind ?? "") < ($1.value, $1.kind ?? "") }, oldestRunning: oldest,
            stuckCount: stuck.count, stuckThreshold: policy.defaultThreshold, finishedLastHour: lastHour,
            finishedLastDay: finishedLastDay, tableBytes: bytes ?? nil)
    }
}
