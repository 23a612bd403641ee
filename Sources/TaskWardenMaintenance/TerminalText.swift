/// Text from the database made safe to print on a terminal: every non-printable character
/// spelled out as an escape.
///
/// Run data (ids, kinds, statuses, reasons, actors) is whatever writers put in the table. An
/// ESC sequence in a kind or a reason would otherwise move the cursor, rewrite earlier lines or
/// change the terminal's title when an operator runs `stuck` or `journal`; a newline would
/// break a table row in two. Control characters (C0, DEL, C1), format characters (bidi
/// overrides such as U+202E, which reorder what is shown) and line/paragraph separators become
/// `\n`, `\t`, `\r` or `\u{1B}`; everything else is printed as is. JSON output needs none of
/// this: the encoder escapes it.
///
/// ```swift
/// TerminalText.escaped("crawl\u{1B}[2J")   // "crawl\\u{1B}[2J"
/// ```
package enum TerminalText {
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isNonPrintable) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard isNonPrintable(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    /// Whether printing `scalar` as is could change what the terminal shows elsewhere.
    package static func isNonPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
