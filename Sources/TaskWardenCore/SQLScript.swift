/// Statements with their values written in, as a script for the database's own client:
/// `psql`, `mariadb` (or `mysql`), `sqlite3`.
///
/// The script opens with what the client needs to run it as TaskWarden's session would: the
/// client's own settings (`sql/script/preamble`: stop at the first error, the encoding and
/// string rules the literals assume, the lock wait), then the session settings the driver makes
/// on connecting (UTC, and those of the database URL).
package struct SQLScript: Sendable {
    package let dialect: SQLDialect
    /// The statements the driver ran when it connected.
    package let sessionSetup: [String]
    /// The statements, values written in, in the order they were given.
    package private(set) var statements: [String] = []

    package init(dialect: SQLDialect, sessionSetup: [String]) {
        self.dialect = dialect
        self.sessionSetup = sessionSetup
    }

    /// Adds `sql` with `parameters` written in as literals.
    package mutating func append(_ sql: String, _ parameters: [DatabaseValue]) throws(SQLLiteralError) {
        statements.append(Self.tidy(try dialect.inlining(sql, parameters)))
    }

    /// The script's text: `header` as comment lines, the client's settings (`preamble`, the
    /// rendered `sql/script/preamble` of the dialect), then the statements, and `footer` as
    /// comment lines.
    package func text(header: [String], preamble: String, footer: [String] = []) -> String {
        func comments(_ text: [String]) -> [String] {
            text.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }.map { "-- \($0)" }
        }
        var lines = comments(header)
        lines.append(Self.tidy(preamble))
        lines += sessionSetup.map { Self.terminated(Self.tidy($0)) }
        lines += statements.map(Self.terminated)
        lines += comments(footer)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statement without the comment lines that open it (the SQL files' documentation,
    /// which names parameters the script has already written in) and without blank lines.
    static func tidy(_ sql: String) -> String {
        var lines = sql.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var line = line
            while line.last?.isWhitespace == true { line.removeLast() }
            return line
        }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) || first.drop(while: \.isWhitespace).hasPrefix("--") {
            lines.removeFirst()
        }
        return lines.filter { !$0.allSatisfy(\.isWhitespace) }.joined(separator: "\n")
    }

    /// `sql` ended by `;`, on a line of its own when the last line may end in a comment.
    static func terminated(_ sql: String) -> String {
        let lastLine = sql.split(separator: "\n").last ?? ""
        return lastLine.contains("--") || lastLine.contains("#") ? sql + "\n;" : sql + ";"
    }
}
