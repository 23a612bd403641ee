import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// Runs finished in each of the last hours: the dashboard's chart.
public struct HourlyFinishes: Sendable, Hashable {
    /// One clock hour, by the database's clock.
    public struct Hour: Sendable, Hashable {
        public let start: Timestamp
        public let finished: Int
    }

    /// Oldest first; the last is the hour in progress.
    public let hours: [Hour]

    public var total: Int { hours.reduce(0) { $0 + $1.finished } }
}

extension TaskRuns {
    /// Runs that finished (succeeded, failed or cancelled) in each of the last `hours` clock
    /// hours, the current one included, by the database's clock; the completed hours of
    /// `known` (an earlier result) are taken from it rather than counted again.
    ///
    /// One range read per hour over the finish time, so it works for every time format a table
    /// maps and reads only the last day's finished rows. That is still every run finished in
    /// the last day, a few hundred thousand on a busy table: a caller refreshing the chart
    /// passes its last result, and only the hours it lacks and the hour in progress are read
    /// (a completed hour's count changes only when a run is deleted or finishes back-dated).
    /// A table without a finish column has nothing to count: every hour is 0.
    public func finishedPerHour(hours count: Int = 24, reusing known: HourlyFinishes? = nil) throws -> HourlyFinishes {
        let now = try DatabaseClock.now(on: connection)
        let hour: Int64 = 3_600_000_000
        let current = now.microsecondsSinceEpoch - ((now.microsecondsSinceEpoch % hour) + hour) % hour
        let starts = (0..<count).reversed().map { Timestamp(microsecondsSinceEpoch: current - Int64($0) * hour) }
        // An hour `known` saw completed (any but its last, which was then in progress).
        var completed: [Int64: Int] = [:]
        for past in known?.hours.dropLast() ?? [] where past.start.microsecondsSinceEpoch < current {
            completed[past.start.microsecondsSinceEpoch] = past.finished
        }
        var finished = starts.map { completed[$0.microsecondsSinceEpoch] ?? 0 }
        let counted = starts.indices.filter { completed[starts[$0].microsecondsSinceEpoch] == nil }
        if table.has(.finishedAt), !counted.isEmpty {
            let statement = SQL.Runs.FinishedPerHour(
                finishedStatuses: RetentionPolicy.purgeable.flatMap(table.values),
                hours: counted.map {
                    .init(from: table.times.encode(starts[$0]), until: table.times.encode(starts[$0].adding(microseconds: hour)))
                })
            for row in try connection.query(statement, names: names()) {
                let arm = try row.decode(Int.self, .hour) - 1
                if counted.indices.contains(arm) { finished[counted[arm]] = try row.decode(Int.self, .n) }
            }
        }
        return HourlyFinishes(hours: zip(starts, finished).map { HourlyFinishes.Hour(start: $0, finished: $1) })
    }
}
