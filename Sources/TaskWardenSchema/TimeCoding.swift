import TaskWardenCore

/// How instants become a table's stored time values and back: its format and its zone.
///
/// TaskWarden reasons in instants (the database's clock, cutoffs, ages); a table stores
/// values. Values without a zone (native `timestamp`/`DATETIME` columns, SQLite text) are
/// wall-clock times of the mapping's ``MappedTimeZone`` (UTC unless the mapping says
/// otherwise); Unix seconds and milliseconds count from an instant and need no zone. Every
/// value TaskWarden binds or reads for a time column goes through here, so cutoffs, ages and
/// written finish times agree with the application's own values.
public struct TimeCoding: Sendable, Hashable {
    public let format: TimeFormat
    public let zone: MappedTimeZone

    public init(format: TimeFormat = .native, zone: MappedTimeZone = .utc) {
        self.format = format
        self.zone = zone
    }

    /// Whether stored values are wall-clock times of ``zone`` (else instants, Unix counts).
    public var storesWallClock: Bool {
        switch format {
        case .native, .text, .iso8601: true
        case .unixSeconds, .unixMilliseconds: false
        }
    }

    /// `instant` as the table stores it.
    public func encode(_ instant: Timestamp) -> DatabaseValue {
        format.encode(storesWallClock ? zone.wallClock(at: instant) : instant)
    }

    /// The instant a stored value means, or `nil` for `NULL` or an unreadable value.
    public func decode(_ value: DatabaseValue) -> Timestamp? {
        guard let decoded = format.decode(value) else { return nil }
        return storesWallClock ? zone.instant(atWallClock: decoded) : decoded
    }
}
