import Foundation
import PropertyBased
import TaskWardenCore
import Testing

/// Generated durations and cutoffs: no typed number traps, and every cutoff either fits the
/// years 1 to 9999 or is refused.
@Suite("Durations and cutoffs, generated")
struct DurationPropertyTests {
    static let units = ["ms", "s", "m", "h", "d", "w", "days", "weeks"]
    /// Digit strings from one digit to far past `Int64.max`.
    static let digits = Gen.number.string(of: 1...40)

    @Test("any number with any unit parses within the bound or is refused as too long")
    func parseNeverTraps() async {
        await propertyCheck(count: 500, input: Self.digits, Gen.element(of: Self.units).map { $0! }) { digits, unit in
            let text = digits + unit
            do throws(DurationParseError) {
                let duration = try Duration(parsing: text)
                #expect(duration >= .zero && duration <= Duration.longestParsed, "\(text) -> \(duration)")
            } catch {
                #expect(error.reason == .tooLong, "\(text): \(error)")
                #expect(error.description.count < 120)
            }
        }
        for text in ["99999999999999999999s", "9223372036854775807s", "106751991167d", "1e400d", "1000000000000w1s"] {
            let error = #expect(throws: DurationParseError.self, "\(text)") { try Duration(parsing: text) }
            #expect(error?.reason == .tooLong || error?.reason == .notADuration)
        }
    }

    @Test("compact text of any duration, however long or negative, and it round-trips for parsed ones")
    func compactTextNeverTraps() async {
        await propertyCheck(count: 500, input: Gen.int64(in: .min ... .max), Gen.int64(in: -999_999_999_999_999_999...999_999_999_999_999_999)) {
            seconds, attoseconds in
            let duration = Duration(secondsComponent: seconds, attosecondsComponent: attoseconds)
            #expect(!duration.compactText.isEmpty)
        }
        await propertyCheck(count: 300, input: Gen.int64(in: 0...(Duration.longestParsed.components.seconds * 1_000))) { milliseconds in
            let duration = Duration.milliseconds(milliseconds)
            #expect((try? Duration(parsing: duration.compactText)) == duration, "\(duration.compactText)")
        }
    }

    @Test("a cutoff is within the years 1 to 9999 or refused, from any instant and any duration")
    func cutoffs() async throws {
        let instants = Gen.int64(in: Timestamp.earliestSupported.microsecondsSinceEpoch...Timestamp.latestSupported.microsecondsSinceEpoch)
        let durations = Gen.int64(in: 0...(Duration.longestParsed.components.seconds))
        await propertyCheck(count: 500, input: instants, durations) { micros, seconds in
            let now = Timestamp(microsecondsSinceEpoch: micros)
            do {
                let cutoff = try now.cutoff(olderThan: .seconds(seconds))
                #expect(cutoff.isSupported)
                #expect(cutoff.microsecondsSinceEpoch == micros - seconds * 1_000_000)
            } catch {
                #expect(micros - seconds * 1_000_000 < Timestamp.earliestSupported.microsecondsSinceEpoch)
            }
        }
        let now = Timestamp(Timestamp.Components(year: 2026, month: 12, day: 2))
        #expect(throws: TimestampRangeError.self) { try now.cutoff(olderThan: try Duration(parsing: "1000000d")) }
        #expect(try now.cutoff(olderThan: try Duration(parsing: "90d")).components.month == 9)
    }

    @Test("moving a timestamp saturates instead of trapping")
    func addingSaturates() async {
        await propertyCheck(count: 300, input: Gen.int64(in: .min ... .max), Gen.int64(in: .min ... .max)) { start, offset in
            let moved = Timestamp(microsecondsSinceEpoch: start).adding(microseconds: offset)
            let (exact, overflow) = start.addingReportingOverflow(offset)
            #expect(moved.microsecondsSinceEpoch == (overflow ? (offset < 0 ? .min : .max) : exact))
        }
        for seconds in [Double.infinity, -.infinity, .nan, 1e300, -1e300] {
            _ = Timestamp.now.adding(seconds: seconds)
        }
    }
}
