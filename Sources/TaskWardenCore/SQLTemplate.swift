/// A statement written with named parameters (`:name`), rendered for a dialect's placeholders.
///
/// TaskWarden's SQL files use `:name` so that one Swift call site serves every dialect, and a
/// DBA reading the file sees what each value means. Rendering turns each `:name` into `$n`
/// (PostgreSQL; one number per distinct name) or `?` (MySQL, SQLite; one value per occurrence,
/// since MySQL cannot refer to a parameter twice). Values are always bound, never spliced.
///
/// `::type` casts, `:=` assignments, and colons inside strings, quoted identifiers and comments
/// are left alone.
public struct SQLTemplate: Sendable, Hashable {
    /// A piece of SQL text or a parameter reference.
    private enum Piece: Sendable, Hashable {
        case text(String)
        case parameter(String)
    }

    private let pieces: [Piece]
    /// The source text, for error messages and `plan` output.
    public let source: String

    public init(_ source: String) {
        self.source = source
        self.pieces = Self.parse(Array(source.utf8))
    }

    /// The distinct parameter names, in order of first use.
    public var parameterNames: [String] {
        var seen: [String] = []
        for case .parameter(let name) in pieces where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The statement for `dialect` and its positional values.
    ///
    /// A parameter named in `lists` expands to one placeholder per element (`IN (:ids)`
    /// becomes `IN ($1, $2, $3)`); an empty list becomes `NULL`, so `IN (NULL)` matches nothing.
    ///
    /// - Throws: ``SQLTemplateError`` when a parameter used in the text has no value.
    public func render(
        for dialect: SQLDialect, _ values: [String: DatabaseValue], lists: [String: [DatabaseValue]] = [:]
    ) throws(SQLTemplateError) -> (sql: String, parameters: [DatabaseValue]) {
        var sql = ""
        var parameters: [DatabaseValue] = []
        var numbered: [String: String] = [:]
        // Numbered placeholders let a name used twice bind its value(s) once.
        let reusesNames = dialect.placeholderStyle == .dollarNumbered
        func placeholders(for name: String, _ elements: [DatabaseValue]) -> String {
            if reusesNames, let rendered = numbered[name] { return rendered }
            let rendered = elements.map { element -> String in
                parameters.append(element)
                return dialect.placeholder(parameters.count)
            }.joined(separator: ", ")
            if reusesNames { numbered[name] = rendered }
            return rendered
        }
        for piece in pieces {
            switch piece {
            case .text(let text):
                sql += text
            case .parameter(let name):
                if let list = lists[name] {
                    sql += list.isEmpty ? "NULL" : placeholders(for: name, list)
                } else if let value = values[name] {
                    sql += placeholders(for: name, [value])
                } else {
                    throw SQLTemplateError(parameter: name, source: source)
                }
            }
        }
        return (sql, parameters)
    }

    private static func parse(_ bytes: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var textStart = 0
        var index = 0
        func flushText(upTo end: Int) {
            if end > textStart { pieces.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self))) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                index = skipQuoted(bytes, from: index, quote: byte)
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index + 1 < bytes.count && !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index = min(index + 2, bytes.count)
            case UInt8(ascii: ":"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") {
                    index += 2  // a `::type` cast
                } else if index + 1 < bytes.count, isIdentifierStart(bytes[index + 1]) {
                    var end = index + 2
                    while end < bytes.count && isIdentifierPart(bytes[end]) { end += 1 }
                    flushText(upTo: index)
                    pieces.append(.parameter(String(decoding: bytes[(index + 1)..<end], as: UTF8.self)))
                    index = end
                    textStart = end
                } else {
                    index += 1
                }
            default:
                index += 1
            }
        }
        flushText(upTo: bytes.count)
        return pieces
    }

    /// The index just past the closing quote (a doubled quote stays inside).
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), quote == UInt8(ascii: "'") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// A template parameter with no value.
public struct SQLTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public let parameter: String
    public let source: String
    public var description: String { "no value for SQL parameter :\(parameter)" }
}

extension DatabaseConnection {
    /// Renders `template` for this connection's dialect and runs it.
    @discardableResult
    public func execute(
        _ template: SQLTemplate, _ values: [String: DatabaseValue], lists: [String: [DatabaseValue]] = [:]
    ) throws -> Int {
        let (sql, parameters) = try template.render(for: dialect, values, lists: lists)
        return try execute(sql, parameters)
    }

    /// Renders `template` for this connection's dialect and returns its rows.
    public func query(
        _ template: SQLTemplate, _ values: [String: DatabaseValue], lists: [String: [DatabaseValue]] = [:]
    ) throws -> [Row] {
        let (sql, parameters) = try template.render(for: dialect, values, lists: lists)
        return try query(sql, parameters)
    }
}
