import Foundation
import TaskWardenCore

/// The zone in which a table's times without a zone are written: UTC, or a named zone.
///
/// Applications often store `datetime.now()` in `timestamp` or `DATETIME` columns (seed 001):
/// wall-clock times of the server's zone, with no zone attached. Read as UTC, a run started
/// three minutes ago in New York looks five hours old, and one in Shanghai eight hours younger
/// than it is. A mapping names the zone, and TaskWarden converts between the instants it
/// reasons about (the database's clock, cutoffs, ages) and the wall-clock values it binds
/// and reads, whatever the server's or this machine's own zone.
///
/// Around daylight-saving changes a wall-clock time is not always one instant:
/// - in the hour the clocks go back, each wall-clock time happened twice: it is read as the
///   *later* instant, so that a run looks younger, never older, than it may be, and neither
///   recovery nor a purge acts on it early;
/// - in the hour the clocks go forward, wall-clock times never happened (no clock wrote
///   them): such a value is read with the offset in force before the change, as Python's
///   `zoneinfo` does with `fold=0`.
public struct MappedTimeZone: Sendable, Hashable, CustomStringConvertible {
    /// The IANA name (`America/New_York`), or `UTC`.
    public let identifier: String
    private let zone: TimeZone

    public static let utc = MappedTimeZone(validated: "UTC", TimeZone(identifier: "UTC")!)

    private init(validated identifier: String, _ zone: TimeZone) {
        self.identifier = identifier
        self.zone = zone
    }

    /// The zone named `name`: an IANA zone name, or `utc` in any case.
    ///
    /// - Throws: ``TaskTableError`` when the system's time zone database does not know it.
    public init(named name: String) throws(TaskTableError) {
        if name.caseInsensitiveCompare("utc") == .orderedSame || name == "Etc/UTC" {
            self = .utc
            return
        }
        // Abbreviations (EST, CST) name different zones in different places and have no
        // daylight-saving rules: only full IANA names are accepted.
        guard name.contains("/"), let zone = TimeZone(identifier: name) else {
            throw TaskTableError(.unknownTimeZone(name))
        }
        self.init(validated: zone.identifier, zone)
    }

    public var isUTC: Bool { identifier == "UTC" }

    public var description: String { identifier }

    public static func == (lhs: MappedTimeZone, rhs: MappedTimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// The wall-clock time of `instant` in this zone, as a timestamp whose fields read as that
    /// wall-clock time (what a naive column stores).
    public func wallClock(at instant: Timestamp) -> Timestamp {
        guard !isUTC else { return instant }
        return instant.adding(microseconds: Int64(offset(at: instant)) * 1_000_000)
    }

    /// The instant a wall-clock time of this zone means (see the type's rules for the hours
    /// around daylight-saving changes).
    public func instant(atWallClock wallClock: Timestamp) -> Timestamp {
        guard !isUTC else { return wallClock }
        // The offsets in force a day either side: a zone changes its offset at most once in
        // two days, so the instant is the wall-clock time minus one of these.
        let day: Int64 = 86_400 * 1_000_000
        let before = offset(at: wallClock.adding(microseconds: -day))
        let after = offset(at: wallClock.adding(microseconds: day))
        let candidates = Set([before, after]).map { wallClock.adding(microseconds: -Int64($0) * 1_000_000) }.filter { candidate in
            wallClock == candidate.adding(microseconds: Int64(offset(at: candidate)) * 1_000_000)
        }
        // Two candidates: the clocks went back (the later instant); none: they went forward
        // past this time (the offset before the change).
        return candidates.max() ?? wallClock.adding(microseconds: -Int64(before) * 1_000_000)
    }

    /// Seconds this zone is ahead of UTC at `instant`.
    private func offset(at instant: Timestamp) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: instant.secondsSinceEpoch))
    }
}
