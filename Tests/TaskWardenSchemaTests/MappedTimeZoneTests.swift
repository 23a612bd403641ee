import Foundation
import PropertyBased
import TaskWardenCore
import TaskWardenSchema
import Testing

/// Wall-clock times of named zones: the round trip from an instant, and the hours around
/// daylight-saving changes, checked at known transitions and on generated instants.
@Suite("Mapped time zones")
struct MappedTimeZoneTests {
    static let zones = ["America/New_York", "Europe/Berlin", "Asia/Shanghai", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Chatham"]

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Timestamp {
        Timestamp(Timestamp.Components(year: year, month: month, day: day, hour: hour, minute: minute))
    }

    @Test("UTC, and names the zone database knows; abbreviations and unknown names are refused")
    func parsing() throws {
        #expect(try MappedTimeZone(named: "utc").isUTC)
        #expect(try MappedTimeZone(named: "UTC") == .utc)
        #expect(try MappedTimeZone(named: "Asia/Shanghai").identifier == "Asia/Shanghai")
        for name in ["EST", "CST", "Mars/Olympus", "", "America/New York", "../etc/passwd"] {
            let error = #expect(throws: TaskTableError.self, "\(name)") { try MappedTimeZone(named: name) }
            #expect(error?.kind == .unknownTimeZone(name))
        }
    }

    @Test("New York: a naive 09:03 written in winter is 14:03 UTC, in summer 13:03")
    func knownOffsets() throws {
        let newYork = try MappedTimeZone(named: "America/New_York")
        #expect(newYork.instant(atWallClock: Self.at(2026, 1, 15, 9, 3)) == Self.at(2026, 1, 15, 14, 3))
        #expect(newYork.instant(atWallClock: Self.at(2026, 7, 15, 9, 3)) == Self.at(2026, 7, 15, 13, 3))
        #expect(newYork.wallClock(at: Self.at(2026, 7, 15, 13, 3)) == Self.at(2026, 7, 15, 9, 3))
        let shanghai = try MappedTimeZone(named: "Asia/Shanghai")
        #expect(shanghai.instant(atWallClock: Self.at(2026, 3, 1, 8)) == Self.at(2026, 3, 1, 0))
    }

    @Test("the hour the clocks go back reads as the later instant; the hour they skip, with the offset before")
    func daylightSavingChanges() throws {
        let newYork = try MappedTimeZone(named: "America/New_York")
        // 2026-11-01 01:30 happened at 05:30Z (EDT) and again at 06:30Z (EST): the later.
        #expect(newYork.instant(atWallClock: Self.at(2026, 11, 1, 1, 30)) == Self.at(2026, 11, 1, 6, 30))
        // 2026-03-08 02:30 never happened: read with EST's offset, 07:30Z (03:30 EDT).
        #expect(newYork.instant(atWallClock: Self.at(2026, 3, 8, 2, 30)) == Self.at(2026, 3, 8, 7, 30))
        // Either side of each change, every wall-clock time is one instant.
        #expect(newYork.instant(atWallClock: Self.at(2026, 11, 1, 0, 59)) == Self.at(2026, 11, 1, 4, 59))
        #expect(newYork.instant(atWallClock: Self.at(2026, 11, 1, 2, 0)) == Self.at(2026, 11, 1, 7, 0))
        #expect(newYork.instant(atWallClock: Self.at(2026, 3, 8, 3, 0)) == Self.at(2026, 3, 8, 7, 0))
    }

    @Test("any instant round-trips through its wall-clock time, or comes back later by the hour repeated")
    func roundTrip() async throws {
        let zones = try Self.zones.map { try MappedTimeZone(named: $0) }
        // 1970 to 2100, where the zone database has rules.
        let instants = Gen.int64(in: 0...4_102_444_800_000_000)
        await propertyCheck(count: 2_000, input: Gen.element(of: zones).map { $0! }, instants) { zone, micros in
            let instant = Timestamp(microsecondsSinceEpoch: micros)
            let wallClock = zone.wallClock(at: instant)
            let back = zone.instant(atWallClock: wallClock)
            // The same wall-clock time either way; never an earlier instant (a run never looks older).
            #expect(zone.wallClock(at: back) == wallClock, "\(zone) \(instant)")
            #expect(back >= instant, "\(zone) \(instant) -> \(back)")
            // Only a repeated wall-clock hour moves it, by at most the size of the change (≤ 2 h).
            #expect(back.microsecondsSinceEpoch - instant.microsecondsSinceEpoch <= 7_200_000_000, "\(zone) \(instant) -> \(back)")
        }
    }

    @Test("UTC changes nothing")
    func utcIsIdentity() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -62_135_596_800_000_000...253_402_300_799_000_000)) { micros in
            let instant = Timestamp(microsecondsSinceEpoch: micros)
            #expect(MappedTimeZone.utc.wallClock(at: instant) == instant)
            #expect(MappedTimeZone.utc.instant(atWallClock: instant) == instant)
        }
    }
}
