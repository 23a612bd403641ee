/// Splits a SQL script into statements, the way the database's own client would.
///
/// The drivers run one statement per call (`PQexecParams`, `mysql_stmt_prepare` and
/// `sqlite3_prepare_v2` each take one), so a script must be cut where psql, mysql or sqlite3
/// would cut it. That is not at every `;`: one can sit inside a string, a quoted identifier, a
/// comment, a PostgreSQL dollar-quoted body, or the `BEGIN ... END` body of a MySQL or SQLite
/// trigger or routine. The scan is a single pass over the UTF-8 bytes, so multi-megabyte dumps
/// split in linear time. MySQL's `/*! ... */` comments are code to the server, so a chunk holding
/// one is kept as a statement.
///
/// Not supported, because they are commands of the interactive clients rather than SQL or depend
/// on server settings the script cannot see:
/// - the mysql client's `DELIMITER` command (write routine bodies with plain `;`, which
///   `BEGIN ... END` tracking keeps together), and its `\g` / `\G` terminators;
/// - psql backslash commands, including the inline data of `COPY ... FROM stdin`;
/// - sqlite3 dot-commands such as `.read`;
/// - MySQL's `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES` modes (backslashes always escape, and `"`
///   always quotes a string, as with the server's defaults);
/// - PostgreSQL with `standard_conforming_strings = off` (only `E'...'` strings take backslash
///   escapes) and SQL-standard `BEGIN ATOMIC ... END` function bodies, which psql keeps together
///   but this splitter cuts at their first `;`: write such bodies dollar-quoted.
package struct SQLStatementSplitter: Sendable {
    /// The database whose lexical rules the script follows.
    package let backend: DatabaseBackend

    package init(backend: DatabaseBackend) {
        self.backend = backend
    }

    /// The statements of `script`, trimmed, without their terminating `;`, in order. Comments
    /// stay inside the statement text they belong to, except that a chunk consisting only of
    /// whitespace and comments produces no statement.
    ///
    /// Unterminated strings, comments and bodies never fail: the rest of the script becomes the
    /// last statement, for the server to reject with a proper error.
    package func split(_ script: String) -> [String] {
        var scanner = StatementScanner(bytes: Array(script.utf8), backend: backend)
        return scanner.statements()
    }

    /// Where `statement`'s parameter placeholders are, as UTF-8 byte ranges in order: `?` on
    /// MySQL and SQLite, `$n` on PostgreSQL, never inside a string, quoted identifier or comment.
    ///
    /// Found by the same scan that cuts scripts, so a `?` in a string literal or a `$1` in a
    /// comment is never taken for one.
    package func placeholders(in statement: String) -> [Range<Int>] {
        var scanner = StatementScanner(bytes: Array(statement.utf8), backend: backend)
        _ = scanner.statements()
        return scanner.placeholders
    }

    /// A word of a statement's code: a keyword, an unquoted name or a number.
    package struct Word: Sendable, Hashable {
        /// Where it is, as a UTF-8 byte range of the statement.
        package let range: Range<Int>
        /// How many parentheses are open around it: 0 at the statement's top level.
        package let depth: Int
    }

    /// The words of `statement`, in order: never one inside a string, quoted identifier or
    /// comment.
    ///
    /// Found by the same scan that cuts scripts, so that what reads the words of a statement
    /// (``SQLEffect``) is not fooled by a keyword in a string or a comment.
    package func words(in statement: String) -> [Word] {
        var scanner = StatementScanner(bytes: Array(statement.utf8), backend: backend, collectingWords: true)
        _ = scanner.statements()
        return scanner.words
    }
}

// MARK: - Scanning

/// One pass over the script's bytes, cutting at every `;` that a client would cut at.
///
/// Every delimiter the scanner acts on is ASCII, and UTF-8 never uses ASCII bytes inside a
/// multi-byte character, so cutting the byte array at these positions always yields valid text.
private struct StatementScanner {
    private let bytes: [UInt8]
    private let backend: DatabaseBackend
    private var position = 0
    private var finishedStatements: [String] = []
    private var statementStart = 0
    /// Whether the current chunk holds anything besides whitespace and comments.
    private var statementHasCode = false
    private var body: RoutineBodyTracker
    /// The parameter placeholders met, in order.
    private(set) var placeholders: [Range<Int>] = []
    /// The words met, in order, when asked for: scripts of many megabytes are cut without them.
    private(set) var words: [SQLStatementSplitter.Word] = []
    private let collectingWords: Bool
    /// Parentheses open at the current position.
    private var depth = 0

    init(bytes: [UInt8], backend: DatabaseBackend, collectingWords: Bool = false) {
        self.bytes = bytes
        self.backend = backend
        self.collectingWords = collectingWords
        body = RoutineBodyTracker(backend: backend)
        // Editors on Windows save UTF-8 with a byte order mark, which would otherwise glue
        // itself to the first keyword and hide a leading CREATE TRIGGER.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        statementStart = position
    }

    mutating func statements() -> [String] {
        while position < bytes.count {
            let byte = bytes[position]
            if byte.isSQLWhitespace {
                position += 1
            } else if let comment = commentStarting(at: position) {
                skip(comment)
                // MySQL runs the text of `/*! ... */`, so a chunk holding one is a statement.
                if comment == .executable { statementHasCode = true }
            } else if byte.isWordStart {
                statementHasCode = true
                scanWordAndWhatItOpens()
            } else {
                body.seeSymbol()
                if byte == .semicolon, !body.isInsideBody {
                    endStatement()
                } else {
                    statementHasCode = true
                    skipSymbol(byte)
                }
            }
        }
        endStatement()
        return finishedStatements
    }

    private mutating func endStatement() {
        if statementHasCode, let statement = trimmedText(statementStart..<position) {
            finishedStatements.append(statement)
        }
        position = min(position + 1, bytes.count)
        statementStart = position
        statementHasCode = false
        body = RoutineBodyTracker(backend: backend)
    }

    /// Skips a symbol, with the whole string or quoted identifier it opens, if any.
    private mutating func skipSymbol(_ byte: UInt8) {
        switch byte {
        case .singleQuote, .doubleQuote:
            skipQuoted(closing: byte, backslashEscapes: backend == .mysql)
        case .backtick where backend != .postgresql:
            skipQuoted(closing: .backtick)
        case .openingBracket where backend == .sqlite:
            // SQLite accepts `[name]` for compatibility with Microsoft's SQL dialects.
            skipQuoted(closing: .closingBracket, doubledClosingEscapes: false)
        case .dollar where backend == .postgresql:
            if self.byte(after: position)?.isDigit == true {
                let start = position
                position += 1
                while position < bytes.count, bytes[position].isDigit { position += 1 }
                placeholders.append(start..<position)
            } else if !skipDollarQuotedString() {
                position += 1
            }
        case .questionMark where backend != .postgresql:
            placeholders.append(position..<position + 1)
            position += 1
        case .openingParenthesis:
            depth += 1
            position += 1
        case .closingParenthesis:
            depth = max(depth - 1, 0)
            position += 1
        default:
            position += 1
        }
    }

    // MARK: Comments

    private enum Comment {
        case line, block, executable
    }

    private func commentStarting(at index: Int) -> Comment? {
        let first = bytes[index]
        let second = byte(after: index)
        switch first {
        case .hyphen where second == .hyphen:
            // MySQL reads `1--1` as `1 - -1`: its `--` needs a space or control character after it.
            guard backend == .mysql, let third = byte(after: index + 1) else { return .line }
            return third <= .space ? .line : nil
        case .hash where backend == .mysql:
            return .line
        case .slash where second == .asterisk:
            guard backend == .mysql else { return .block }
            let third = byte(after: index + 1)
            let isExecutable = third == .exclamationMark
                || (third == .capitalM && byte(after: index + 2) == .exclamationMark)
            return isExecutable ? .executable : .block
        default:
            return nil
        }
    }

    private mutating func skip(_ comment: Comment) {
        switch comment {
        case .line:
            while position < bytes.count, bytes[position] != .lineFeed { position += 1 }
        case .block, .executable:
            skipBlockComment(nests: backend == .postgresql)
        }
    }

    private mutating func skipBlockComment(nests: Bool) {
        position += 2
        var depth = 1
        while position < bytes.count {
            if bytes[position] == .asterisk, byte(after: position) == .slash {
                position += 2
                depth -= 1
                if depth == 0 { return }
            } else if nests, bytes[position] == .slash, byte(after: position) == .asterisk {
                position += 2
                depth += 1
            } else {
                position += 1
            }
        }
    }

    // MARK: Strings and quoted identifiers

    /// Skips from an opening quote to just past its closing quote, or to the end of the script.
    private mutating func skipQuoted(
        closing: UInt8, backslashEscapes: Bool = false, doubledClosingEscapes: Bool = true
    ) {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == closing {
                position += 1
                guard doubledClosingEscapes, position < bytes.count, bytes[position] == closing else { return }
                position += 1
            } else if backslashEscapes, byte == .backslash {
                position = min(position + 2, bytes.count)
            } else {
                position += 1
            }
        }
    }

    /// PostgreSQL's `E'...'` strings take backslash escapes, unlike its standard strings.
    private func isEscapeStringPrefix(_ word: Range<Int>) -> Bool {
        backend == .postgresql && word.count == 1 && (bytes[word.lowerBound] | 0x20) == .lowercaseE
            && byte(after: word.lowerBound) == .singleQuote
    }

    /// Skips a PostgreSQL `$$...$$` or `$tag$...$tag$` string, if one starts here.
    ///
    /// A tag cannot start with a digit, which is what keeps the parameter `$1` from opening one.
    private mutating func skipDollarQuotedString() -> Bool {
        var tagEnd = position + 1
        if tagEnd < bytes.count, bytes[tagEnd].isIdentifierStart {
            while tagEnd < bytes.count, bytes[tagEnd].isIdentifierByte, bytes[tagEnd] != .dollar { tagEnd += 1 }
        }
        guard tagEnd < bytes.count, bytes[tagEnd] == .dollar else { return false }
        let delimiter = bytes[position...tagEnd]

        // A mismatch can only happen on a byte after the `$`, and a tag holds no `$`, so no byte
        // is compared twice and the search stays linear even for long tags.
        var candidate = tagEnd + 1
        while candidate < bytes.count {
            if bytes[candidate] == .dollar, bytes[candidate...].starts(with: delimiter) {
                position = candidate + delimiter.count
                return true
            }
            candidate += 1
        }
        position = bytes.count
        return true
    }

    // MARK: Words

    /// Scans an identifier, keyword or number, and the `E'...'` string it may prefix.
    ///
    /// `$` continues a word as it does in PostgreSQL and MySQL identifiers, which is why `AS$$` is
    /// one word rather than the start of a body, as in psql.
    private mutating func scanWordAndWhatItOpens() {
        let start = position
        while position < bytes.count, bytes[position].isIdentifierByte { position += 1 }
        let word = start..<position
        if collectingWords { words.append(SQLStatementSplitter.Word(range: word, depth: depth)) }
        if body.isListening { body.see(Keyword(bytes[word])) }
        if isEscapeStringPrefix(word) { skipQuoted(closing: .singleQuote, backslashEscapes: true) }
    }

    // MARK: Text

    private func trimmedText(_ range: Range<Int>) -> String? {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower].isSQLWhitespace { lower += 1 }
        while upper > lower, bytes[upper - 1].isSQLWhitespace { upper -= 1 }
        guard lower < upper else { return nil }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    private func byte(after index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }
}

// MARK: - Trigger and routine bodies

/// Keeps a MySQL or SQLite `CREATE TRIGGER`, `PROCEDURE`, `FUNCTION` or `EVENT` whole while
/// its `BEGIN ... END` body, whose statements end in `;`, is open.
///
/// It first reads the statement's leading words to learn whether the statement defines such a
/// body, then counts nesting: BEGIN and CASE open a level, END closes one. MySQL's `END IF`,
/// `END LOOP`, `END WHILE` and `END REPEAT` close blocks whose openers are not counted (`IF` and
/// `REPEAT` are also function names), so they leave the level alone; `END CASE` closes a CASE.
private struct RoutineBodyTracker {
    private enum Header {
        /// Before the first word.
        case start
        /// After `CREATE` and any of `OR REPLACE`, `TEMP`, `TEMPORARY`, `AGGREGATE`.
        case afterCreate
        /// Inside MySQL's `DEFINER = user@host`, whose parts can be any words.
        case inDefiner
        case routine
        case ordinary
    }

    private var header: Header
    private var depth = 0
    /// An END was seen, and the next word decides what it closes.
    private var hasPendingEnd = false

    init(backend: DatabaseBackend) {
        // PostgreSQL bodies are dollar-quoted strings, and its BEGIN starts a transaction.
        header = backend == .postgresql ? .ordinary : .start
    }

    /// Whether words can still change anything; keeps ordinary statements from paying for lookups.
    var isListening: Bool { header != .ordinary }

    var isInsideBody: Bool { depth > 0 }

    mutating func see(_ keyword: Keyword?) {
        switch header {
        case .start:
            header = keyword == .create ? .afterCreate : .ordinary
        case .afterCreate:
            switch keyword {
            case .or, .replace, .temp, .temporary, .aggregate: break
            case .definer: header = .inDefiner
            case let keyword? where keyword.namesRoutine: header = .routine
            default: header = .ordinary
            }
        case .inDefiner:
            switch keyword {
            case let keyword? where keyword.namesRoutine: header = .routine
            case .view, .sql: header = .ordinary
            default: break
            }
        case .routine:
            countNesting(keyword)
        case .ordinary:
            break
        }
    }

    /// Any token other than a word: ends a pending END, and stops a statement that does not start
    /// with a word from being taken for a definition.
    mutating func seeSymbol() {
        if header == .start { header = .ordinary }
        closePendingEnd()
    }

    private mutating func countNesting(_ keyword: Keyword?) {
        if hasPendingEnd {
            hasPendingEnd = false
            switch keyword {
            case .if, .loop, .while, .repeat: return
            case .case: closeLevel(); return
            default: closeLevel()
            }
        }
        switch keyword {
        case .begin, .case: depth += 1
        case .end: hasPendingEnd = true
        default: break
        }
    }

    private mutating func closePendingEnd() {
        guard hasPendingEnd else { return }
        hasPendingEnd = false
        closeLevel()
    }

    private mutating func closeLevel() {
        depth = max(depth - 1, 0)
    }
}

/// The words the body tracker acts on; any other word is `nil`.
private enum Keyword: String, CaseIterable {
    case create = "CREATE", or = "OR", replace = "REPLACE", temp = "TEMP", temporary = "TEMPORARY"
    case aggregate = "AGGREGATE", definer = "DEFINER", view = "VIEW", sql = "SQL"
    case trigger = "TRIGGER", procedure = "PROCEDURE", function = "FUNCTION", event = "EVENT"
    case begin = "BEGIN", `case` = "CASE", end = "END"
    case `if` = "IF", loop = "LOOP", `while` = "WHILE", `repeat` = "REPEAT"

    private static let spellings: [(keyword: Keyword, bytes: [UInt8])] = allCases.map { ($0, Array($0.rawValue.utf8)) }
    private static let longestSpelling = spellings.map(\.bytes.count).max() ?? 0

    /// Matches `word` case-insensitively and as a whole word.
    init?(_ word: ArraySlice<UInt8>) {
        guard word.count <= Self.longestSpelling else { return nil }
        // Clearing bit 5 upper-cases ASCII letters and cannot turn any other byte into a letter.
        guard let match = Self.spellings.first(where: { spelling in
            spelling.bytes.count == word.count && zip(spelling.bytes, word).allSatisfy { $0 == $1 & 0xDF }
        }) else { return nil }
        self = match.keyword
    }

    var namesRoutine: Bool {
        switch self {
        case .trigger, .procedure, .function, .event: true
        default: false
        }
    }
}

// MARK: - Bytes

private extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let semicolon = UInt8(ascii: ";")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backtick = UInt8(ascii: "`")
    static let openingBracket = UInt8(ascii: "[")
    static let closingBracket = UInt8(ascii: "]")
    static let openingParenthesis = UInt8(ascii: "(")
    static let closingParenthesis = UInt8(ascii: ")")
    static let dollar = UInt8(ascii: "$")
    static let questionMark = UInt8(ascii: "?")
    static let backslash = UInt8(ascii: "\\")
    static let hyphen = UInt8(ascii: "-")
    static let hash = UInt8(ascii: "#")
    static let slash = UInt8(ascii: "/")
    static let asterisk = UInt8(ascii: "*")
    static let exclamationMark = UInt8(ascii: "!")
    static let capitalM = UInt8(ascii: "M")
    static let lowercaseE = UInt8(ascii: "e")
    static let lineFeed = UInt8(ascii: "\n")

    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    var isSQLWhitespace: Bool {
        self == .space || (0x09...0x0D).contains(self)
    }

    /// Letters, `_`, and every byte of a non-ASCII character, which all three databases accept in
    /// unquoted identifiers.
    var isIdentifierStart: Bool {
        (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || self == 0x5F || self >= 0x80
    }

    var isDigit: Bool { (0x30...0x39).contains(self) }

    /// Identifiers, keywords and numbers; `$` only continues a word, so that it can open a body.
    var isWordStart: Bool { isIdentifierStart || isDigit }

    var isIdentifierByte: Bool { isWordStart || self == .dollar }
}
