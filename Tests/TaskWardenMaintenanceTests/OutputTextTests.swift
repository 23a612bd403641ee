import Foundation
import PropertyBased
import TaskWarden
import Testing

/// How run data and ages are spelled for people.
@Suite("Text for terminals")
struct OutputTextTests {
    /// Printable text with control, format and separator characters mixed in.
    static let pieces: [String] = ["a", "b", " ", "c", "-", "é", "漢", "\u{1B}", "\u{07}", "\u{00}", "\n", "\r", "\t", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2028}", "\u{200B}", "\u{1B}[2J", "\\"]
    static let hostileText = Gen<String?>.element(of: pieces).map { $0 ?? "a" }.array(of: 0...30).map { $0.joined() }

    @Test("escaped text never holds a non-printable character, and printable text is left as it is")
    func escaping() async {
        await propertyCheck(count: 500, input: Self.hostileText) { text in
            let escaped = TerminalText.escaped(text)
            #expect(!escaped.unicodeScalars.contains(where: TerminalText.isNonPrintable), "\(escaped.debugDescription)")
            #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            if !text.unicodeScalars.contains(where: TerminalText.isNonPrintable) { #expect(escaped == text) }
        }
        #expect(TerminalText.escaped("crawl\u{1B}]0;pwned\u{07}\n") == "crawl\\u{1B}]0;pwned\\u{7}\\n")
    }

    @Test("ages use at most two units, largest first, rounded down")
    func ages() async {
        #expect(Duration.milliseconds(200 * 86_400_000 + 4_436).ageText == "200d")
        #expect(Duration.seconds(3 * 3_600 + 12 * 60 + 5).ageText == "3h12m")
        #expect(Duration.milliseconds(4_436).ageText == "4s")
        #expect(Duration.milliseconds(436).ageText == "436ms")
        #expect(Duration.seconds(86_400 + 59).ageText == "1d")
        #expect(Duration.seconds(90).ageText == "1m30s")
        await propertyCheck(count: 300, input: Gen.int(in: 0...400 * 86_400_000)) { milliseconds in
            let text = Duration.milliseconds(milliseconds).ageText
            let units = text.split(whereSeparator: \.isNumber).filter { !$0.isEmpty }
            #expect((1...2).contains(units.count), "\(milliseconds) ms -> \(text)")
        }
    }
}
