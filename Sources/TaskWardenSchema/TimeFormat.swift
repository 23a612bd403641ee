import TaskWardenCore

/// How a table keeps time in its columns.
///
/// PostgreSQL and MySQL tables have real timestamp columns (`native`). SQLite tables in the wild
/// keep ISO-8601 text, with a `T` (Python's `isoformat()`) or a space (SQLite's `datetime()`),
/// or Unix seconds or milliseconds. Comparisons bind a value in the column's own format, so
/// they stay index-friendly; text compares correctly as long as the column uses one format.
public enum TimeFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// The backend's timestamp type; on SQLite, TaskWarden's text `YYYY-MM-DD HH:MM:SS.ffffff`.
    case native
    /// Text `YYYY-MM-DD HH:MM:SS.ffffff` (space separator).
    case text
    /// Text `YYYY-MM-DDTHH:MM:SS.ffffff` (`T` separator).
    case iso8601
    /// Whole seconds since 1970-01-01 UTC.
    case unixSeconds = "unix_seconds"
    /// Milliseconds since 1970-01-01 UTC.
    case unixMilliseconds = "unix_milliseconds"

    /// `timestamp` as this format stores it.
    public func encode(_ timestamp: Timestamp) -> DatabaseValue {
        switch self {
        case .native: .timestamp(timestamp)
        case .text: .text(timestamp.sqlText)
        case .iso8601: .text(String(timestamp.iso8601.dropLast()))
        case .unixSeconds: .integer(timestamp.microsecondsSinceEpoch.floorDivided(by: 1_000_000).quotient)
        case .unixMilliseconds: .integer(timestamp.microsecondsSinceEpoch.floorDivided(by: 1_000).quotient)
        }
    }

    /// Whether a stored value has this format's shape: a number for Unix counts, text with a
    /// space or a `T` between date and time for the text formats; a driver's timestamp for native.
    ///
    /// ``decode(_:)`` reads either text form; this tells them apart, since TaskWarden writes
    /// the declared one and a column that mixes both compares wrongly as text.
    public func matchesShape(of value: DatabaseValue) -> Bool {
        switch (self, value) {
        case (.unixSeconds, .integer), (.unixSeconds, .double), (.unixMilliseconds, .integer), (.unixMilliseconds, .double): true
        case (.unixSeconds, _), (.unixMilliseconds, _): false
        case (.text, .text(let text)): Self.separator(of: text) == " "
        case (.iso8601, .text(let text)): Self.separator(of: text) == "T"
        case (.text, _), (.iso8601, _): false
        case (.native, .text(let text)): Self.separator(of: text) != nil
        case (.native, _): Timestamp.fromDatabaseValue(value) != nil
        }
    }

    /// The character between date and time in `YYYY-MM-DD?HH...`, if the text has that shape.
    private static func separator(of text: String) -> Character? {
        let characters = Array(text.prefix(11))
        guard characters.count == 11, characters[4] == "-", characters[7] == "-" else { return nil }
        return characters[10]
    }

    /// The point in time a stored value means, or `nil` for `NULL` or an unreadable value.
    public func decode(_ value: DatabaseValue) -> Timestamp? {
        switch (self, value) {
        case (.unixSeconds, .integer(let seconds)): Timestamp(microsecondsSinceEpoch: seconds * 1_000_000)
        case (.unixSeconds, .double(let seconds)): Timestamp(microsecondsSinceEpoch: Int64((seconds * 1_000_000).rounded()))
        case (.unixMilliseconds, .integer(let milliseconds)): Timestamp(microsecondsSinceEpoch: milliseconds * 1_000)
        case (.unixMilliseconds, .double(let milliseconds)): Timestamp(microsecondsSinceEpoch: Int64((milliseconds * 1_000).rounded()))
        default: Timestamp.fromDatabaseValue(value)
        }
    }
}
