import Foundation

/// Durations as people type them on command lines and in configuration files.
extension Duration {
    /// The longest duration text may name: 10 000 years.
    ///
    /// Every duration TaskWarden takes is subtracted from now or turned into micro- or
    /// milliseconds; bounding it here keeps all of that arithmetic far from `Int64`'s limits,
    /// so no typed number can trap. A cutoff that still falls before year 1 is refused where
    /// it is computed (``Timestamp/cutoff(olderThan:)``).
    public static let longestParsed: Duration = .seconds(10_000 * 31_556_952)

    /// Parses `90d`, `10m`, `30s`, `500ms`, `1h30m`, `2w`: one or more number-unit pairs.
    ///
    /// Units: `ms`, `s`, `m` (minutes), `h`, `d`, `w`. A bare number is refused rather than
    /// guessed: `--older-than 10` could mean seconds or minutes, and a wrong guess purges data.
    /// Anything longer than ``longestParsed`` is refused.
    public init(parsing text: String) throws(DurationParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var remaining = Substring(trimmed)
        var totalSeconds = 0.0
        let limit = Self.longestParsed.seconds
        guard !remaining.isEmpty else { throw DurationParseError(text: text, reason: .notADuration) }
        while !remaining.isEmpty {
            let digits = remaining.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let amount = Double(digits), amount.isFinite else {
                throw DurationParseError(text: text, reason: .notADuration)
            }
            remaining = remaining.dropFirst(digits.count)
            let unit = remaining.prefix { $0.isLetter }
            remaining = remaining.dropFirst(unit.count)
            let seconds: Double
            switch unit {
            case "ms": seconds = 0.001
            case "s", "sec", "secs": seconds = 1
            case "m", "min", "mins": seconds = 60
            case "h", "hr", "hrs": seconds = 3_600
            case "d", "day", "days": seconds = 86_400
            case "w", "week", "weeks": seconds = 604_800
            default: throw DurationParseError(text: text, reason: .notADuration)
            }
            totalSeconds += amount * seconds
            guard totalSeconds <= limit else { throw DurationParseError(text: text, reason: .tooLong) }
        }
        self = .milliseconds(Int64((totalSeconds * 1_000).rounded()))
    }

    /// The duration in seconds, fractional.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The shortest exact text form, to the millisecond: `90d`, `1h30m`, `250ms`.
    ///
    /// Suits a threshold someone typed; see ``ageText`` for how long something has lasted.
    package var compactText: String {
        let milliseconds = wholeMilliseconds(roundingDown: false)
        guard milliseconds.magnitude != 0 else { return "0s" }
        return (milliseconds.negative ? "-" : "") + Self.text(milliseconds: milliseconds.magnitude, largestUnits: .max)
    }

    /// An age for people: the largest unit and, when not zero, the next one down, rounded
    /// down: `200d`, `3h12m`, `4s`; under a second, milliseconds (`436ms`); never negative.
    ///
    /// Nobody reads past the second unit of how long a run has been silent, and milliseconds
    /// on a 200-day age are noise.
    package var ageText: String {
        let milliseconds = wholeMilliseconds(roundingDown: true)
        guard !milliseconds.negative, milliseconds.magnitude >= 1_000 else {
            return "\(milliseconds.negative ? 0 : milliseconds.magnitude)ms"
        }
        return Self.text(milliseconds: milliseconds.magnitude / 1_000 * 1_000, largestUnits: 2)
    }

    /// The whole milliseconds of this duration, computed in 128-bit integers rather than a
    /// `Double`, so that any `Duration`, however long or negative, has a text form and none traps.
    private func wholeMilliseconds(roundingDown: Bool) -> (magnitude: UInt128, negative: Bool) {
        let (seconds, attoseconds) = components
        let attosecondsPerMillisecond: Int128 = 1_000_000_000_000_000
        let total = Int128(seconds) * 1_000 * attosecondsPerMillisecond + Int128(attoseconds)
        let rounded = roundingDown ? total.magnitude : total.magnitude + UInt128(attosecondsPerMillisecond / 2)
        return (rounded / UInt128(attosecondsPerMillisecond), total < 0)
    }

    /// `milliseconds` in days, hours, minutes, seconds and milliseconds, the largest first,
    /// zero units left out, at most `largestUnits` of them.
    private static func text(milliseconds: UInt128, largestUnits: Int) -> String {
        var rest = milliseconds
        var parts: [String] = []
        for (unit, size) in [("d", UInt128(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            guard parts.count < largestUnits, rest > 0 else { break }
            if rest >= size {
                parts.append("\(rest / size)\(unit)")
            } else if !parts.isEmpty {
                // A unit after the first counts toward the limit even when it is zero:
                // `200d` rather than `200d4s`.
                parts.append("")
            }
            rest %= size
        }
        return parts.joined()
    }
}

/// Text that is not a duration.
public struct DurationParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the text was refused.
    public enum Reason: Sendable, Hashable {
        /// Not a number and a unit.
        case notADuration
        /// Longer than ``Duration/longestParsed``.
        case tooLong
        /// Zero, where only a positive duration makes sense (a threshold, a retention).
        case notPositive
    }

    public let text: String
    public let reason: Reason

    public init(text: String, reason: Reason = .notADuration) {
        self.text = text
        self.reason = reason
    }

    public var description: String {
        let shown = text.count > 40 ? text.prefix(40) + "..." : Substring(text)
        switch reason {
        case .notADuration: return "'\(shown)' is not a duration: use a number and a unit, e.g. 30s, 10m, 2h, 90d"
        case .tooLong: return "'\(shown)' is too long a duration: at most 10000 years"
        case .notPositive: return "'\(shown)' must be longer than zero"
        }
    }
}
