/// The instants every backend can store, and cutoffs computed from user input.
extension Timestamp {
    /// 0001-01-01 00:00:00 UTC, the earliest instant PostgreSQL, MySQL and SQLite's text form share.
    public static let earliestSupported = Timestamp(Components(year: 1, month: 1, day: 1))
    /// 9999-12-31 23:59:59.999999 UTC, the latest such instant.
    public static let latestSupported = Timestamp(
        Components(year: 9_999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999))

    /// Whether every backend can store this instant.
    public var isSupported: Bool { (Self.earliestSupported...Self.latestSupported).contains(self) }

    /// The instant `duration` before this one: the cutoff of an "older than" rule.
    ///
    /// Thresholds and retentions come from command lines and configuration files, where
    /// `1000000d` is one typo away; a cutoff no backend can store is refused here, before any
    /// SQL runs, instead of trapping in a driver or comparing against a wrapped-around year.
    public func cutoff(olderThan duration: Duration) throws(TimestampRangeError) -> Timestamp {
        let cutoff = adding(seconds: -duration.seconds)
        guard cutoff.isSupported else { throw TimestampRangeError(duration: duration, from: self) }
        return cutoff
    }
}

/// A cutoff that falls outside the years 1 to 9999.
public struct TimestampRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    public let duration: Duration
    public let from: Timestamp

    public var description: String {
        "\(duration.compactText) before \(from.sqlText.prefix(10)) falls outside the years 1 to 9999"
    }
}
