/// Shared pieces of SQL files: a line `{{> area/name}}` stands for the file
/// `sql/<area>/_<name>.sql`, written in its place when the statements are generated.
///
/// Several statements must repeat one predicate exactly (each statement of a bulk change
/// re-checks the runs it takes), and a predicate kept in one file cannot drift between them.
/// The partial's leading comment lines document it once and are not copied; the rest replaces
/// the line, so the embedded statement (what runs, and what `plan` and `--show-sql` print) is
/// plain SQL. Partials do not include other partials.
package enum SQLPartials {
    /// Whether a file name (`_predicate.sql`) is a partial's rather than a statement's.
    package static func isPartial(fileName: some StringProtocol) -> Bool {
        fileName.hasPrefix("_")
    }

    /// `text` with each `{{> area/name}}` line replaced by the body of `partials["area/name"]`.
    ///
    /// - Throws: ``SQLPartialError`` naming the line of an include whose partial does not exist.
    package static func expand(_ text: String, partials: [String: String]) throws(SQLPartialError) -> String {
        guard text.contains("{{>") else { return text }
        var lines: [Substring] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace
            guard trimmed.hasPrefix("{{>"), trimmed.hasSuffix("}}") else {
                lines.append(line)
                continue
            }
            let name = String(trimmed.dropFirst(3).dropLast(2).trimmingWhitespace)
            guard let partial = partials[name] else {
                throw SQLPartialError(line: number + 1, message: "no partial sql/\(name.replacingFirstPathComponent)")
            }
            lines += body(of: partial)
        }
        return lines.joined(separator: "\n")
    }

    /// A partial without its leading comment lines and its final line break.
    static func body(of partial: String) -> [Substring] {
        var lines = partial.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.trimmingWhitespace.hasPrefix("--") || first.trimmingWhitespace.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingWhitespace.isEmpty { lines.removeLast() }
        return lines
    }
}

/// An include of a partial that does not exist.
package struct SQLPartialError: Error, Sendable, Hashable, CustomStringConvertible {
    package let line: Int
    package let message: String
    package var description: String { message }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: Substring {
        let text = self[...]
        guard let start = text.firstIndex(where: { !$0.isWhitespace }), let end = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return Substring(text[start...end])
    }

    /// `bulk/predicate` as its file, `bulk/_predicate.sql`.
    fileprivate var replacingFirstPathComponent: String {
        let parts = split(separator: "/")
        guard parts.count == 2 else { return "\(self).sql" }
        return "\(parts[0])/_\(parts[1]).sql"
    }
}
