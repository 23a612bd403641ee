/// The parsed form of a TaskWarden SQL file: text, names, parameters, sections and repeated blocks.
///
/// Both the build (the `TaskWardenSQLGenerator` that writes a Swift type per statement) and the
/// run time (`SQLTemplate` rendering a statement) read SQL files through this one parser, so
/// what the compiler checks is exactly what runs. The language is documented in `docs/sql.md`:
///
///     {{name}}                          a table or column name from the mapping, quoted
///     {{integer name}}                  a Swift Int written as a literal (where SQL binds nothing: PRAGMA)
///     :name   :name...   :arm.name      a value, a list of values, a value of one element
///     {{#if flag}} ... {{else}} ... {{/if}}        kept when the Swift flag is true
///     {{#unless flag}} ... {{/unless}}             kept when it is false
///     {{#has column}} ... {{/has}}                 kept when the mapping names the column
///     {{#lacks column}} ... {{/lacks}}             kept when it does not
///     {{#each arm in arms, joined by UNION ALL}} ... {{arm.number}} ... {{arm.column}} ... {{/each}}
package enum SQLTemplateNode: Sendable, Hashable {
    /// SQL text, sent as written.
    case text(String)
    /// `{{name}}`: a name from the mapping, quoted for the dialect.
    case name(String)
    /// `:name`: one bound value.
    case parameter(String)
    /// `{{integer name}}`: a Swift `Int`, written as digits, for the few places that take no
    /// bound value (`PRAGMA cache_size = ...`). An `Int` cannot carry SQL, so this splices nothing else.
    case integer(String)
    /// `:name...`: one placeholder per element of a list of values.
    case list(String)
    /// `:element.field`: a value of the current element of an `each` block.
    case elementParameter(element: String, field: String)
    /// `{{element.number}}`: the current element's 1-based position, written as a literal.
    case elementNumber(element: String)
    /// `{{element.field}}`: a name the current element carries (a column), quoted.
    case elementName(element: String, field: String)
    /// A section kept or dropped as a whole, with an optional `{{else}}` part.
    indirect case section(SQLSectionKind, String, then: [SQLTemplateNode], otherwise: [SQLTemplateNode])
    /// A block written once per element of `list`, `separator` between two elements.
    indirect case each(element: String, list: String, separator: String, body: [SQLTemplateNode])
}

/// What decides whether a section is kept.
package enum SQLSectionKind: String, Sendable, Hashable, CaseIterable {
    /// `{{#if flag}}`: a Swift `Bool` of the statement is true.
    case `if`
    /// `{{#unless flag}}`: that `Bool` is false.
    case unless
    /// `{{#has column}}`: the table mapping names the column.
    case has
    /// `{{#lacks column}}`: it does not.
    case lacks

    /// Whether the section's condition is a flag (rather than the table mapping).
    package var isFlag: Bool { self == .if || self == .unless }
    /// Whether the `then` part is kept when the flag is set or the column mapped.
    package var isPositive: Bool { self == .if || self == .has }
}

/// A SQL file that does not follow the template language, with the line where it goes wrong.
package struct SQLTemplateSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    package let line: Int
    package let message: String
    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    package var description: String { "line \(line): \(message)" }
}

/// Parses SQL template text into ``SQLTemplateNode``s.
package enum SQLTemplateSyntax {
    package static func parse(_ source: String) throws(SQLTemplateSyntaxError) -> [SQLTemplateNode] {
        var parser = Parser(bytes: Array(source.utf8))
        return try parser.parseAll()
    }

    /// Whether `text` is a plain identifier (letters, digits, `_`, not starting with a digit).
    package static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isIdentifierStart(first) else { return false }
        return text.utf8.allSatisfy(isIdentifierPart)
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// One pass over the bytes: tags (`{{...}}`) are found everywhere, parameters only outside
/// quotes and comments, whose state carries across tags in source order.
private struct Parser {
    let bytes: [UInt8]
    var index = 0
    var textStart = 0
    /// The open sections and blocks, innermost last, each with the nodes gathered so far.
    var stack: [Frame] = [Frame(opening: nil, line: 1)]

    struct Frame {
        enum Opening {
            case section(SQLSectionKind, String)
            case each(element: String, list: String, separator: String)
        }
        let opening: Opening?
        let line: Int
        var nodes: [SQLTemplateNode] = []
        var thenNodes: [SQLTemplateNode]? = nil
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var line: Int { bytes[..<min(index, bytes.count)].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }

    func error(_ message: String) -> SQLTemplateSyntaxError { SQLTemplateSyntaxError(line: line, message: message) }

    mutating func append(_ node: SQLTemplateNode) {
        if case .text(let text) = node, case .text(let previous)? = stack[stack.count - 1].nodes.last {
            stack[stack.count - 1].nodes[stack[stack.count - 1].nodes.count - 1] = .text(previous + text)
        } else {
            stack[stack.count - 1].nodes.append(node)
        }
    }

    mutating func flushText(upTo end: Int) {
        if end > textStart { append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self))) }
    }

    func startsTag(at position: Int) -> Bool {
        position + 1 < bytes.count && bytes[position] == UInt8(ascii: "{") && bytes[position + 1] == UInt8(ascii: "{")
    }

    mutating func parseAll() throws(SQLTemplateSyntaxError) -> [SQLTemplateNode] {
        // The quote or comment the scan is in: parameters are not looked for there.
        enum Mode { case code, quoted(UInt8), lineComment, blockComment }
        var mode = Mode.code
        while index < bytes.count {
            if startsTag(at: index) {
                try tag()
                continue
            }
            let byte = bytes[index]
            switch mode {
            case .quoted(let quote):
                if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "'") {
                    index += 2
                } else if byte == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote { index += 2 } else {
                        mode = .code
                        index += 1
                    }
                } else {
                    index += 1
                }
            case .lineComment:
                if byte == UInt8(ascii: "\n") { mode = .code }
                index += 1
            case .blockComment:
                if byte == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                    mode = .code
                    index += 2
                } else {
                    index += 1
                }
            case .code:
                switch byte {
                case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                    mode = .quoted(byte)
                    index += 1
                case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                    mode = .lineComment
                    index += 2
                case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                    mode = .blockComment
                    index += 2
                case UInt8(ascii: ":"):
                    try parameter()
                default:
                    index += 1
                }
            }
        }
        flushText(upTo: bytes.count)
        guard stack.count == 1 else {
            let open = stack[stack.count - 1]
            throw SQLTemplateSyntaxError(line: open.line, message: "section opened here is never closed")
        }
        return stack[0].nodes
    }

    /// `:name`, `:name...` or `:element.field` at `index`; a `::type` cast or `:=` is text.
    mutating func parameter() throws(SQLTemplateSyntaxError) {
        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") {
            index += 2
            return
        }
        guard index + 1 < bytes.count, SQLTemplateSyntax.isIdentifierStart(bytes[index + 1]) else {
            index += 1
            return
        }
        let start = index
        var end = index + 2
        while end < bytes.count && SQLTemplateSyntax.isIdentifierPart(bytes[end]) { end += 1 }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        flushText(upTo: start)
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), SQLTemplateSyntax.isIdentifierStart(bytes[end + 1]) {
            var fieldEnd = end + 2
            while fieldEnd < bytes.count && SQLTemplateSyntax.isIdentifierPart(bytes[fieldEnd]) { fieldEnd += 1 }
            let field = String(decoding: bytes[(end + 1)..<fieldEnd], as: UTF8.self)
            guard isOpenElement(name) else { throw error(":\(name).\(field) is outside any {{#each \(name) in ...}} block") }
            append(.elementParameter(element: name, field: field))
            end = fieldEnd
        } else if end + 2 < bytes.count, bytes[end] == UInt8(ascii: "."), bytes[end + 1] == UInt8(ascii: "."),
            bytes[end + 2] == UInt8(ascii: ".")
        {
            append(.list(name))
            end += 3
        } else {
            append(.parameter(name))
        }
        index = end
        textStart = end
    }

    func isOpenElement(_ name: String) -> Bool {
        stack.contains { frame in
            if case .each(let element, _, _)? = frame.opening { return element == name }
            return false
        }
    }

    /// The tag at `index`, from `{{` to `}}`.
    mutating func tag() throws(SQLTemplateSyntaxError) {
        flushText(upTo: index)
        var end = index + 2
        while end + 1 < bytes.count && !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
        guard end + 1 < bytes.count else { throw error("{{ is never closed by }}") }
        let content = String(decoding: bytes[(index + 2)..<end], as: UTF8.self).trimmed
        index = end + 2
        textStart = index
        let words = content.split(separator: " ", omittingEmptySubsequences: true)
        if content.hasPrefix("#") {
            try open(content, words)
        } else if content.hasPrefix("/") {
            try close(content, words)
        } else if content == "else" {
            guard stack.count > 1, case .section? = stack[stack.count - 1].opening, stack[stack.count - 1].thenNodes == nil else {
                throw error("{{else}} outside a section, or twice in one")
            }
            stack[stack.count - 1].thenNodes = stack[stack.count - 1].nodes
            stack[stack.count - 1].nodes = []
        } else if content.hasSuffix(".number"), isOpenElement(String(content.dropLast(".number".count))) {
            append(.elementNumber(element: String(content.dropLast(".number".count))))
        } else if let dot = content.firstIndex(of: "."), isOpenElement(String(content[..<dot])),
            SQLTemplateSyntax.isIdentifier(content[content.index(after: dot)...])
        {
            append(.elementName(element: String(content[..<dot]), field: String(content[content.index(after: dot)...])))
        } else if words.count == 2, words[0] == "integer", SQLTemplateSyntax.isIdentifier(words[1]) {
            append(.integer(String(words[1])))
        } else if SQLTemplateSyntax.isIdentifier(Substring(content)) {
            append(.name(content))
        } else {
            throw error("{{\(content)}} is not a name, a section or a block")
        }
    }

    mutating func open(_ content: String, _ words: [Substring]) throws(SQLTemplateSyntaxError) {
        let keyword = words[0].dropFirst()
        if let kind = SQLSectionKind(rawValue: String(keyword)) {
            guard words.count == 2, SQLTemplateSyntax.isIdentifier(words[1]) else {
                throw error("{{\(content)}}: write {{#\(keyword) name}} with one plain name")
            }
            stack.append(Frame(opening: .section(kind, String(words[1])), line: line))
        } else if keyword == "each" {
            // {{#each arm in arms, joined by UNION ALL}}
            let body = content.dropFirst("#each".count)
            let parts = body.split(separator: ",", maxSplits: 1)
            let head = parts.first?.split(separator: " ") ?? []
            guard head.count == 3, head[1] == "in", SQLTemplateSyntax.isIdentifier(head[0]), SQLTemplateSyntax.isIdentifier(head[2]) else {
                throw error("{{\(content)}}: write {{#each element in list}} or {{#each element in list, joined by SQL}}")
            }
            var separator = ""
            if parts.count == 2 {
                let tail = parts[1].trimmed
                guard tail.hasPrefix("joined by ") else { throw error("{{\(content)}}: after the comma, write 'joined by' and the SQL") }
                separator = String(tail.dropFirst("joined by ".count)).trimmed
            }
            stack.append(Frame(opening: .each(element: String(head[0]), list: String(head[2]), separator: separator), line: line))
        } else {
            throw error("{{\(content)}}: a section opens with #if, #unless, #has, #lacks or #each")
        }
    }

    mutating func close(_ content: String, _ words: [Substring]) throws(SQLTemplateSyntaxError) {
        let keyword = String(words[0].dropFirst())
        guard stack.count > 1, let opening = stack[stack.count - 1].opening else { throw error("{{\(content)}} closes nothing") }
        let frame = stack.removeLast()
        switch opening {
        case .section(let kind, let name):
            guard keyword == kind.rawValue, words.count == 1 || (words.count == 2 && words[1] == name) else {
                throw error("{{\(content)}} closes {{#\(kind.rawValue) \(name)}} from line \(frame.line)")
            }
            let then = frame.thenNodes ?? frame.nodes
            let otherwise = frame.thenNodes == nil ? [] : frame.nodes
            append(.section(kind, name, then: then, otherwise: otherwise))
        case .each(let element, let list, let separator):
            guard keyword == "each", words.count == 1 || (words.count == 2 && words[1] == list) else {
                throw error("{{\(content)}} closes {{#each \(element) in \(list)}} from line \(frame.line)")
            }
            append(.each(element: element, list: list, separator: separator, body: frame.nodes))
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\n" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
