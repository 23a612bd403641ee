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
    /// hours, the current one included, by the database's clock.
    ///
    /// One range read per hour over the finish time, so it works for every time format a table
    /// maps and reads only the last day's finished rows. A table without a finish column has
    /// nothing to count: every hour is 0.
    public func finishedPerHour(hours count: Int = 24) throws -> HourlyFinishes {
        let now = try DatabaseClock.now(on: connection)
        let hour: Int64 = 3_600_000_000
        let current = now.microsecondsSinceEpoch - ((now.microsecondsSinceEpoch % hour) + hour) % hour
        let starts = (0..<count).reversed().map { Timestamp(microsecondsSinceEpoch: current - Int64($0) * hour) }
        var finished = [Int](repeating: 0, count: count)
        if table.has(.finishedAt), count > 0 {
            let statement = SQL.Runs.FinishedPerHour(
                finishedStatuses: RetentionPolicy.purgeable.flatMap(table.values),
                hours: starts.map {
                    .init(from: table.times.encode($0), until: table.times.encode($0.adding(microseconds: hour)))
                })
            for row in try connection.query(statement, names: names()) {
                let position = try row.decode(Int.self, .hour) - 1
                if finished.indices.contains(position) { finished[position] = try row.decode(Int.self, .n) }
            }
        }
        return HourlyFinishes(hours: zip(starts, finished).map { HourlyFinishes.Hour(start: $0, finished: $1) })
    }
}
