import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension TaskRuns {
    /// How many runs are queued and running now, per status value of the table (every value
    /// of both statuses, zero included).
    ///
    /// Cheap enough for every cycle of a watchdog: it counts only the active statuses, which an
    /// index on the status column keeps small, unlike the finished runs.
    public func activeCounts() throws -> [String: Int] {
        let values = table.values(.queued) + table.values(.running)
        var counts: [String: Int] = [:]
        for value in values { counts[value.plainText] = 0 }
        for row in try connection.query(SQL.Runs.CountActive(statuses: values), names: names()) {
            counts[try row.decode(String.self, .status)] = try row.decode(Int.self, .n)
        }
        return counts
    }
}
