import Foundation
import TaskWardenCore
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test("text forms parse to the same instant", arguments: [
        "2026-11-22 22:38:48.123456", "2026-11-22T22:38:48.123456Z", "2026-11-22 22:38:48.123456+00",
        "2026-11-22 23:38:48.123456+01:00", "2026-11-22T17:08:48.123456-0530", "2026-11-22 22:38:48.123456789",
    ])
    func parsing(text: String) throws {
        let expected = Timestamp(Timestamp.Components(year: 2026, month: 11, day: 22, hour: 22, minute: 38, second: 48, microsecond: 123_456))
        #expect(Timestamp(parsing: text) == expected)
    }

    @Test("short forms", arguments: [("2026-01-02", 0), ("2026-01-02 03:04", 11_040), ("2026-01-02T03:04:05.5", 11_045)])
    func shortForms(text: String, secondsIntoDay: Int) throws {
        let timestamp = try #require(Timestamp(parsing: text))
        let midnight = Timestamp(Timestamp.Components(year: 2026, month: 1, day: 2))
        let expectedMicros = Int64(secondsIntoDay) * 1_000_000 + (text.hasSuffix(".5") ? 500_000 : 0)
        #expect(timestamp.microsecondsSinceEpoch - midnight.microsecondsSinceEpoch == expectedMicros)
    }

    @Test("garbage does not parse", arguments: ["", "yesterday", "2026-13-01", "2026-11-22 25:00", "2026-11-22x", "1700000000", "2026-11-22 10:00:00 UTC"])
    func garbage(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test("formatting and parsing round-trip across the calendar, before and after 1970")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let micros = Int64.random(in: -2_208_988_800_000_000...4_102_444_800_000_000, using: &generator)
            let timestamp = Timestamp(microsecondsSinceEpoch: micros)
            #expect(Timestamp(parsing: timestamp.sqlText) == timestamp)
            #expect(Timestamp(parsing: timestamp.iso8601) == timestamp)
            #expect(Timestamp(timestamp.components) == timestamp)
        }
    }

    @Test("formats agree with Foundation")
    func agreesWithFoundation() throws {
        let date = Date(timeIntervalSince1970: 1_795_473_528.25)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        #expect(Timestamp(date).iso8601.hasPrefix(String(formatter.string(from: date).dropLast())))
        #expect(Timestamp(date).sqlText.hasSuffix(".250000"))
        #expect(Timestamp(microsecondsSinceEpoch: -1).sqlText == "1969-12-31 23:59:59.999999")
    }
}
