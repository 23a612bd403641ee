import Foundation

/// A point in time with microsecond precision, always in UTC.
///
/// Every backend TaskWarden supports stores time with at most microsecond precision, so a
/// `Timestamp` round-trips exactly where `Date` (a `Double`) would drift in its last digits.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    public var microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The timestamp nearest to `date`, rounded to the microsecond.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The current time of this machine's clock.
    public static var now: Timestamp { Timestamp(Date()) }

    public var date: Date {
        Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000)
    }

    /// Seconds since the epoch, fractional.
    public var secondsSinceEpoch: Double { Double(microsecondsSinceEpoch) / 1_000_000 }

    public func adding(microseconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + microseconds)
    }

    public func adding(seconds: Double) -> Timestamp {
        adding(microseconds: Int64((seconds * 1_000_000).rounded()))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension Timestamp: CustomStringConvertible {
    /// `2026-11-22 22:38:48.123456Z`: the SQL form, with a `Z` that says it is UTC.
    public var description: String { sqlText + "Z" }
}
