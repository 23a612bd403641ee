import Foundation

/// Durations as people type them on command lines and in configuration files.
extension Duration {
    /// Parses `90d`, `10m`, `30s`, `500ms`, `1h30m`, `2w`: one or more number-unit pairs.
    ///
    /// Units: `ms`, `s`, `m` (minutes), `h`, `d`, `w`. A bare number is refused rather than
    /// guessed: `--older-than 10` could mean seconds or minutes, and a wrong guess purges data.
    public init(parsing text: String) throws(DurationParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var remaining = Substring(trimmed)
        var total: Duration = .zero
        guard !remaining.isEmpty else { throw DurationParseError(text: text) }
        while !remaining.isEmpty {
            let digits = remaining.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let amount = Double(digits), amount.isFinite else { throw DurationParseError(text: text) }
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
            default: throw DurationParseError(text: text)
            }
            total += .milliseconds(Int64((amount * seconds * 1_000).rounded()))
        }
        self = total
    }

    /// The duration in seconds, fractional.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The shortest exact text form: `90d`, `1h30m`, `250ms`.
    public var compactText: String {
        var milliseconds = Int64((seconds * 1_000).rounded())
        guard milliseconds != 0 else { return "0s" }
        var parts = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where milliseconds >= size {
            parts += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return parts
    }
}

/// Text that is not a duration.
public struct DurationParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "'\(text)' is not a duration: use a number and a unit, e.g. 30s, 10m, 2h, 90d"
    }
}
