import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

extension Doctor {
    /// How many of the newest runs' times ``timeValues()`` reads.
    static let timeSampleSize = 200

    /// Status values in the table that the mapping does not name, with their counts.
    ///
    /// Runs with such a value are invisible to every command: never stuck, never recovered,
    /// never purged. Celery's RETRY or a custom state is the usual case.
    func statusValues() -> Check {
        attempt("status values") {
            let rows = try connection.query(SQL.Doctor.StatusValues(), names: table.identifiers)
            var unmapped: [(value: String, count: Int)] = []
            for row in rows {
                let value = try row.decode(String?.self, .status) ?? "NULL"
                if table.status(of: value) == nil { unmapped.append((value, try row.decode(Int.self, .n))) }
            }
            guard !unmapped.isEmpty else {
                return Check(name: "status values", level: .ok, summary: "every value in \(table.name) is mapped (\(rows.count) distinct)", hint: nil)
            }
            let list = unmapped.sorted { $0.count > $1.count }.prefix(10)
                .map { "'\(TerminalText.escaped($0.value))' (\($0.count))" }.joined(separator: ", ")
            return Check(
                name: "status values", level: .warn, summary: "not in the mapping: \(list)",
                hint: "name them under statuses: in taskwarden.yaml; until then those runs are never recovered or purged")
        }
    }

    /// The newest runs' time values, read as the mapping says: each in the declared format
    /// (text with a space, ISO with a `T`, Unix seconds or milliseconds), and none far in the
    /// future, which is what times of a zone ahead of the declared one look like.
    func timeValues() -> Check {
        attempt("time values") {
            let now = try DatabaseClock.now(on: connection)
            let rows = try connection.query(SQL.Doctor.TimeSamples(limit: .integer(Int64(Self.timeSampleSize))), names: table.identifiers)
            var latest: (column: String, at: Timestamp)?
            var checked = 0
            for row in rows {
                for (column, value) in [("started_at", row.startedAt), ("heartbeat_at", row.heartbeatAt), ("finished_at", row.finishedAt), ("created_at", row.createdAt)] {
                    guard value != .null, let mapped = table.columns[TaskTable.Column(rawValue: column)!] else { continue }
                    checked += 1
                    guard table.timeFormat.matchesShape(of: value), let instant = table.times.decode(value) else {
                        return Check(
                            name: "time values", level: .fail,
                            summary: "\(mapped.name) holds '\(TerminalText.escaped(String(describing: value)))', which is not time_format \(table.timeFormat.rawValue)",
                            hint: "set time_format to what the column holds (native, text, iso8601, unix_seconds, unix_milliseconds)")
                    }
                    if instant > (latest?.at ?? instant.adding(seconds: -1)) { latest = (mapped.name, instant) }
                }
            }
            if let latest, latest.at > now.adding(seconds: 300) {
                let ahead = Duration.microseconds(latest.at.microsecondsSinceEpoch - now.microsecondsSinceEpoch)
                return Check(
                    name: "time values", level: .fail,
                    summary: "\(latest.column) has a time \(ahead.compactText) in the future (read in \(table.times.zone.identifier))",
                    hint: "the application probably writes local times: set time_zone to its zone")
            }
            return Check(
                name: "time values", level: .ok,
                summary: "\(checked) value(s) of the newest \(rows.count) run(s) read as \(table.timeFormat.rawValue) in \(table.times.zone.identifier)", hint: nil)
        }
    }

    /// The indexes stuck detection, purge and `list --status` read: each missing one is named
    /// with the statement that creates it (without blocking writers where the backend can).
    func indexes() -> Check {
        attempt("indexes") {
            let needed = IndexAdvice.needed(
                status: table.columns[.status]?.name, lastSignOfLife: (table.columns[.heartbeatAt] ?? table.columns[.startedAt])?.name,
                finished: table.columns[.finishedAt]?.name, id: table.columns[.id]?.name)
            let backend = connection.dialect.backend
            let missing = IndexAdvice.missing(needed, indexes: try TableInspection.indexes(of: table.name, on: connection), backend: backend)
            guard !missing.isEmpty else {
                return Check(name: "indexes", level: .ok, summary: needed.map(\.purpose).joined(separator: ", ") + " read an index", hint: nil)
            }
            return Check(
                name: "indexes", level: .warn,
                summary: "no index for " + missing.map { "\($0.purpose) (\($0.columns.joined(separator: ", ")))" }.joined(separator: "; ")
                    + ": they read the whole table",
                hint: try missing.map { try $0.statement(on: table.name, dialect: connection.dialect) }.joined(separator: " "))
        }
    }
}
