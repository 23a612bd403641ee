/// The result columns of a statement that the generator can name, read from its outermost SELECT.
///
/// A column is named by its alias (`... AS n`), by a name from the mapping alone (`{{status}}`),
/// or by a bare or qualified column (`id`, `a.pid`). Anything else (`*`, an unnamed
/// expression) gives no accessor. A column that only some sections produce is *conditional*:
/// it is in the statement when every section keeps its first part, not when every section
/// keeps its `{{else}}` part.
package struct SQLResultColumn: Sendable, Hashable {
    package var name: String
    package var isConditional: Bool
    package init(name: String, isConditional: Bool) {
        self.name = name
        self.isConditional = isConditional
    }
}

extension SQLTemplateSyntax {
    /// The columns of `nodes`' outermost SELECT, in order; none for other statements.
    package static func resultColumns(_ nodes: [SQLTemplateNode]) -> [SQLResultColumn] {
        let most = selectList(skeleton(nodes, keepFirstParts: true))
        let least = Set(selectList(skeleton(nodes, keepFirstParts: false)))
        var seen: Set<String> = []
        return most.compactMap { name in
            guard seen.insert(name).inserted else { return nil }
            return SQLResultColumn(name: name, isConditional: !least.contains(name))
        }
    }

    /// The statement's text with names written plainly, values as `?`, each block once, and
    /// every section's first (or `{{else}}`) part.
    static func skeleton(_ nodes: [SQLTemplateNode], keepFirstParts: Bool) -> String {
        nodes.map { node -> String in
            switch node {
            case .text(let text): text
            case .name(let name): name
            case .elementName(_, let field): field
            case .parameter, .list, .elementParameter: "?"
            case .integer: "0"
            case .elementNumber: "1"
            case .section(_, _, let then, let otherwise): skeleton(keepFirstParts ? then : otherwise, keepFirstParts: keepFirstParts)
            case .each(_, _, _, let body): skeleton(body, keepFirstParts: keepFirstParts)
            }
        }.joined()
    }

    /// The names in the select list of the last SELECT at nesting depth 0 (after any WITH).
    static func selectList(_ sql: String) -> [String] {
        let tokens = tokenize(sql)
        guard let firstIndex = tokens.firstIndex(where: { $0.depth == 0 }) else { return [] }
        let listStart: Int
        switch tokens[firstIndex].text.uppercased() {
        case "SELECT":
            listStart = firstIndex
        case "WITH":
            // The common table expressions are in parentheses: the final SELECT is at depth 0.
            guard let last = tokens.indices.last(where: { tokens[$0].depth == 0 && tokens[$0].text.uppercased() == "SELECT" }) else { return [] }
            listStart = last
        default:
            return []
        }
        let enders: Set<String> = ["FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "HAVING", "FOR", "INTO", ";"]
        var items: [[Token]] = [[]]
        for token in tokens[(listStart + 1)...] {
            if token.depth == 0 && enders.contains(token.text.uppercased()) { break }
            if token.depth == 0 && token.text == "," {
                items.append([])
            } else {
                items[items.count - 1].append(token)
            }
        }
        return items.compactMap { item -> String? in
            let words = item.map(\.text).filter { $0.uppercased() != "DISTINCT" }
            if words.count >= 2, words[words.count - 2].uppercased() == "AS" { return unquote(words[words.count - 1]) }
            if words.count == 1, let name = words[0].split(separator: ".").last, isIdentifier(Substring(unquote(String(name)))) {
                return unquote(String(name))
            }
            return nil
        }
    }

    private static func unquote(_ word: String) -> String {
        guard let first = word.first, first == "\"" || first == "`", word.count >= 2 else { return word }
        return String(word.dropFirst().dropLast())
    }

    struct Token {
        var text: String
        var depth: Int
    }

    /// Words, quoted names, strings and punctuation, with their parenthesis depth; comments dropped.
    static func tokenize(_ sql: String) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(sql)
        var index = 0
        var depth = 0
        while index < chars.count {
            let char = chars[index]
            if char == "-", index + 1 < chars.count, chars[index + 1] == "-" {
                while index < chars.count && chars[index] != "\n" { index += 1 }
            } else if char == "/", index + 1 < chars.count, chars[index + 1] == "*" {
                index += 2
                while index + 1 < chars.count && !(chars[index] == "*" && chars[index + 1] == "/") { index += 1 }
                index += 2
            } else if char.isWhitespace {
                index += 1
            } else if char == "(" {
                tokens.append(Token(text: "(", depth: depth))
                depth += 1
                index += 1
            } else if char == ")" {
                depth -= 1
                tokens.append(Token(text: ")", depth: depth))
                index += 1
            } else if char == "'" || char == "\"" || char == "`" {
                var end = index + 1
                while end < chars.count && chars[end] != char { end += 1 }
                tokens.append(Token(text: String(chars[index...min(end, chars.count - 1)]), depth: depth))
                index = end + 1
            } else if char.isLetter || char.isNumber || char == "_" || char == "." || char == "@" {
                var end = index
                while end < chars.count && (chars[end].isLetter || chars[end].isNumber || chars[end] == "_" || chars[end] == "." || chars[end] == "@") {
                    end += 1
                }
                tokens.append(Token(text: String(chars[index..<end]), depth: depth))
                index = end
            } else {
                tokens.append(Token(text: String(char), depth: depth))
                index += 1
            }
        }
        return tokens
    }
}
