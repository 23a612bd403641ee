import Foundation

/// Table and column names, and optional clauses, filled into a statement before its values.
///
/// Operations work on TaskWarden's own table and on tables teams already have, whose names
/// come from a configuration file. Their SQL files say `{{table}}` and `{{status}}` where a name
/// goes; ``shaped(identifiers:flags:for:)`` puts each validated ``SQLIdentifier`` there,
/// quoted for the dialect, so nothing from a configuration file reaches SQL unquoted.
///
/// Sections adapt a statement to the columns a table has:
/// `{{#error}}, {{error}} = :error{{/error}}` is kept only when `error` is mapped (or is a
/// flag); `{{^heartbeat_at}}...{{/heartbeat_at}}` only when it is not.
extension SQLTemplate {
    /// The template with names filled in and sections resolved.
    ///
    /// - Throws: ``SQLTemplateError`` naming a `{{name}}` used outside a section that keeps it
    ///   only when it is mapped, or a section that is not closed.
    public func shaped(
        identifiers: [String: SQLIdentifier], flags: Set<String> = [], for dialect: SQLDialect
    ) throws(SQLTemplateError) -> SQLTemplate {
        let present = flags.union(identifiers.keys)
        var output = ""
        var rest = Substring(source)
        // Sections being skipped, innermost last; text is kept while this is empty.
        var skipping: [String] = []
        var open: [String] = []
        while let start = rest.range(of: "{{") {
            if skipping.isEmpty { output += rest[..<start.lowerBound] }
            guard let end = rest[start.upperBound...].range(of: "}}") else {
                throw SQLTemplateError(parameter: "{{", source: source)
            }
            let tag = String(rest[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespaces)
            rest = rest[end.upperBound...]
            if let name = tag.dropPrefix("#") ?? tag.dropPrefix("^") {
                open.append(name)
                let keep = tag.hasPrefix("#") == present.contains(name)
                if !skipping.isEmpty || !keep { skipping.append(name) }
            } else if let name = tag.dropPrefix("/") {
                guard open.last == name else { throw SQLTemplateError(parameter: "{{/\(name)}}", source: source) }
                open.removeLast()
                if skipping.last == name { skipping.removeLast() }
            } else if skipping.isEmpty {
                guard let identifier = identifiers[tag] else { throw SQLTemplateError(parameter: "{{\(tag)}}", source: source) }
                output += dialect.quote(identifier)
            }
        }
        guard open.isEmpty else { throw SQLTemplateError(parameter: "{{#\(open.last!)}}", source: source) }
        if skipping.isEmpty { output += rest }
        return SQLTemplate(output)
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : nil
    }
}
