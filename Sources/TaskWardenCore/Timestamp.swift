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

    /// This instant moved by `microseconds`, saturating at the ends of `Int64` rather than trapping.
    public func adding(microseconds: Int64) -> Timestamp {
        let (sum, overflow) = microsecondsSinceEpoch.addingReportingOverflow(microseconds)
        guard overflow else { return Timestamp(microsecondsSinceEpoch: sum) }
        return Timestamp(microsecondsSinceEpoch: microseconds < 0 ? .min : .max)
    }

    /// This instant moved by `seconds`, saturating rather than trapping on any `Double`.
    public func adding(seconds: Double) -> Timestamp {
        let microseconds = (seconds * 1_000_000).rounded()
        guard microseconds.isFinite, let exact = Int64(exactly: microseconds.clamped(to: -9.2e18...9.2e18)) else {
            return Timestamp(microsecondsSinceEpoch: seconds < 0 ? .min : seconds > 0 ? .max : microsecondsSinceEpoch)
        }
        return adding(microseconds: exact)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension Timestamp: CustomStringConvertible {
    /// `2026-11-22 22:38:48.123456Z`: the SQL form, with a `Z` that says it is UTC.
    public var description: String { sqlText + "Z" }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
