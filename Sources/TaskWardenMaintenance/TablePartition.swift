import TaskWardenCore
import TaskWardenSchema

/// One partition of a task table partitioned by a range of time, and the instant its range ends.
///
/// A purge drops a partition only when no new row can land in it (its range ended before the
/// database's clock) and none of its rows is one the purge keeps. The first needs the range's
/// end, read here from the catalog's text: PostgreSQL's bound expression
/// (`FOR VALUES FROM (...) TO ('2026-02-01 00:00:00')`), MySQL's `PARTITION_DESCRIPTION` (a
/// quoted time for `RANGE COLUMNS`, a day number for `TO_DAYS()`, seconds for
/// `UNIX_TIMESTAMP()`). Anything else (a `DEFAULT` partition, `MAXVALUE`, a hash or list
/// partitioning, a key that is no mapped time column) gives no end, and the partition is never
/// dropped: its rows go by batches.
struct TablePartition: Sendable, Hashable {
    /// The partition: a table of its own on PostgreSQL (schema-qualified), a partition name on MySQL.
    let name: SQLIdentifier
    /// The catalog's estimate of its rows (for the summary: exact counts would read them all).
    let estimatedRows: Int
    /// The instant from which rows no longer belong to it; `nil` when unbounded or unknown.
    let end: Timestamp?

    /// How the table's partition key relates to its time: the catalog's key text, parsed.
    enum Key: Sendable, Hashable {
        /// The column itself (`RANGE (col)`, `RANGE COLUMNS(col)`).
        case column(String)
        /// `RANGE (TO_DAYS(col))`: bounds are day numbers (MySQL).
        case days(String)
        /// `RANGE (UNIX_TIMESTAMP(col))`: bounds are seconds since 1970 (MySQL).
        case unixSeconds(String)

        var column: String {
            switch self {
            case .column(let name), .days(let name), .unixSeconds(let name): name
            }
        }

        /// The key of `RANGE (created_at)` (PostgreSQL) or `RANGE COLUMNS (`created_at`)`,
        /// `RANGE (to_days(`created_at`))` (MySQL); `nil` for any other partitioning.
        init?(catalogText text: String) {
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            let upper = rest.uppercased()
            if upper.hasPrefix("RANGE COLUMNS") {
                rest = rest.dropFirst("RANGE COLUMNS".count)
            } else if upper.hasPrefix("RANGE") {
                rest = rest.dropFirst("RANGE".count)
            } else {
                return nil
            }
            guard let inner = Self.unwrap(rest) else { return nil }
            let lowered = inner.lowercased()
            for (function, make) in [("to_days", Key.days), ("unix_timestamp", Key.unixSeconds)] where lowered.hasPrefix(function) {
                guard let argument = Self.unwrap(inner.dropFirst(function.count)), let column = Self.identifier(argument) else { return nil }
                self = make(column)
                return
            }
            guard let column = Self.identifier(inner) else { return nil }
            self = .column(column)
        }

        /// The text inside one pair of parentheses around all of `text`.
        private static func unwrap(_ text: Substring) -> Substring? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("("), trimmed.hasSuffix(")"), trimmed.count >= 2 else { return nil }
            return Substring(trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces))
        }

        /// One column name, unquoted; `nil` for an expression or a list of columns.
        private static func identifier(_ text: Substring) -> String? {
            var name = String(text)
            for quote in ["\"", "`"] where name.hasPrefix(quote) && name.hasSuffix(quote) && name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            return (try? SQLIdentifier(name))?.parts.count == 1 ? name : nil
        }
    }

    /// The end of a range from the catalog's bound text, read with the table's time coding.
    ///
    /// `bound` is PostgreSQL's bound expression or MySQL's description. A time without an
    /// offset is a wall-clock time of the table's zone, as the column stores it; one with an
    /// offset (`timestamptz`) is an instant.
    static func end(of bound: String, key: Key, times: TimeCoding) -> Timestamp? {
        var value = bound.trimmingCharacters(in: .whitespaces)
        if value.uppercased().hasPrefix("FOR VALUES") {
            guard let to = value.range(of: " TO (", options: .caseInsensitive), value.hasSuffix(")") else { return nil }
            value = String(value[to.upperBound...].dropLast())
        }
        guard value.uppercased() != "MAXVALUE", !value.contains(",") else { return nil }
        if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
            let text = String(value.dropFirst().dropLast())
            guard case .column = key else { return nil }
            if hasOffset(text) { return Timestamp(parsing: text) }
            guard let wallClock = Timestamp(parsing: text) else { return nil }
            return times.storesWallClock ? times.zone.instant(atWallClock: wallClock) : nil
        }
        guard let number = Int64(value) else { return nil }
        switch key {
        case .column: return times.storesWallClock ? nil : times.format.decode(.integer(number))
        case .unixSeconds: return Timestamp(microsecondsSinceEpoch: number * 1_000_000)
        case .days:
            // MySQL's TO_DAYS('1970-01-01') is 719528; the day's midnight is a wall-clock time.
            let midnight = Timestamp(microsecondsSinceEpoch: (number - 719_528) * 86_400 * 1_000_000)
            return times.storesWallClock ? times.zone.instant(atWallClock: midnight) : midnight
        }
    }

    /// Whether a time's text ends with `Z` or a `+HH`/`-HH[:MM]` offset after its time of day.
    private static func hasOffset(_ text: String) -> Bool {
        let time = text.dropFirst(10)
        return time.contains("Z") || time.contains("+") || time.contains("-")
    }
}
