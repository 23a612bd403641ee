import TaskWardenSQLSyntax

/// A SQL file's template, rendered for a dialect: names quoted, sections resolved, values bound.
///
/// The language (documented in `docs/sql.md`) is parsed by ``TaskWardenSQLSyntax``, the same
/// parser the build uses to generate each statement's Swift type, so the members the compiler
/// checks are exactly what rendering asks for. Rendering turns each `:name` into `$n`
/// (PostgreSQL; one number per distinct value) or `?` (MySQL, SQLite; one value per
/// occurrence, since MySQL cannot refer to a parameter twice). Values are always bound, never
/// spliced; names come only from validated ``SQLIdentifier``s, quoted for the dialect.
///
/// `::type` casts, `:=` assignments, and colons inside strings, quoted identifiers and comments
/// are left alone.
package struct SQLTemplate: Sendable, Hashable {
    /// The source text, for error messages and `plan` output.
    package let source: String
    private let nodes: [SQLTemplateNode]

    /// - Throws: ``SQLTemplateError`` when the text does not follow the template language.
    package init(_ source: String) throws(SQLTemplateError) {
        self.source = source
        do {
            self.nodes = try SQLTemplateSyntax.parse(source)
        } catch {
            throw SQLTemplateError(message: error.description)
        }
    }

    /// The distinct value and list parameter names, in order of first use.
    package var parameterNames: [String] {
        (try? SQLTemplateInterface(nodes))?.parameterOrder ?? []
    }

    /// The statement for `dialect` and its positional values.
    ///
    /// A list parameter (`IN (:ids...)`) expands to one placeholder per element
    /// (`IN ($1, $2, $3)`); an empty list becomes `NULL`, so `IN (NULL)` matches nothing.
    ///
    /// - Throws: ``SQLTemplateError`` when a name, value, list, flag or block the text uses has
    ///   none in `names` or `arguments`.
    package func render(
        for dialect: SQLDialect, names: [String: SQLIdentifier] = [:], _ arguments: SQLArguments
    ) throws(SQLTemplateError) -> (sql: String, parameters: [DatabaseValue]) {
        var renderer = Renderer(dialect: dialect, names: names, arguments: arguments)
        try renderer.render(nodes, elements: [:])
        return (renderer.sql, renderer.parameters)
    }

    private struct Renderer {
        let dialect: SQLDialect
        let names: [String: SQLIdentifier]
        let arguments: SQLArguments
        var sql = ""
        var parameters: [DatabaseValue] = []
        /// PostgreSQL's numbered placeholders let a value used twice be bound once.
        var numbered: [String: String] = [:]

        init(dialect: SQLDialect, names: [String: SQLIdentifier], arguments: SQLArguments) {
            self.dialect = dialect
            self.names = names
            self.arguments = arguments
        }

        mutating func placeholders(for key: String, _ values: [DatabaseValue]) -> String {
            let reusesNames = dialect.placeholderStyle == .dollarNumbered
            if reusesNames, let rendered = numbered[key] { return rendered }
            let rendered = values.map { value -> String in
                parameters.append(value)
                return dialect.placeholder(parameters.count)
            }.joined(separator: ", ")
            if reusesNames { numbered[key] = rendered }
            return rendered
        }

        /// `elements`: for each open block's element name, its position and values.
        mutating func render(
            _ nodes: [SQLTemplateNode], elements: [String: (number: Int, values: [String: DatabaseValue])]
        ) throws(SQLTemplateError) {
            for node in nodes {
                switch node {
                case .text(let text):
                    sql += text
                case .name(let name):
                    guard let identifier = names[name] else { throw SQLTemplateError(message: "no name for {{\(name)}}") }
                    sql += dialect.quote(identifier)
                case .parameter(let name):
                    guard let value = arguments.values[name] else { throw SQLTemplateError(message: "no value for SQL parameter :\(name)") }
                    sql += placeholders(for: name, [value])
                case .list(let name):
                    guard let list = arguments.lists[name] else { throw SQLTemplateError(message: "no list for SQL parameter :\(name)...") }
                    sql += list.isEmpty ? "NULL" : placeholders(for: name, list)
                case .integer(let name):
                    guard let value = arguments.integers[name] else { throw SQLTemplateError(message: "no integer for {{integer \(name)}}") }
                    sql += String(value)
                case .elementParameter(let element, let field):
                    guard let current = elements[element], let value = current.values[field] else {
                        throw SQLTemplateError(message: "no value for SQL parameter :\(element).\(field)")
                    }
                    sql += placeholders(for: "\(element)#\(current.number).\(field)", [value])
                case .elementNumber(let element):
                    sql += String(elements[element]?.number ?? 0)
                case .elementName(let element, let field):
                    // Carried as text by the generated element type, from a validated SQLIdentifier.
                    guard case .text(let text)? = elements[element]?.values[field], let identifier = try? SQLIdentifier(text) else {
                        throw SQLTemplateError(message: "no name for {{\(element).\(field)}}")
                    }
                    sql += dialect.quote(identifier)
                case .section(let kind, let name, let then, let otherwise):
                    let holds = kind.isFlag ? arguments.flags.contains(name) : names[name] != nil
                    try render(holds == kind.isPositive ? then : otherwise, elements: elements)
                case .each(let element, let list, let separator, let body):
                    guard let values = arguments.blocks[list] else { throw SQLTemplateError(message: "no elements for {{#each \(element) in \(list)}}") }
                    for (index, elementValues) in values.enumerated() {
                        if index > 0 { sql += separator.isEmpty ? "\n" : "\n\(separator)\n" }
                        var inner = elements
                        inner[element] = (index + 1, elementValues)
                        try render(body, elements: inner)
                    }
                }
            }
        }
    }
}

/// A template that cannot be rendered: a syntax error, or something it uses that was not given.
package struct SQLTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    package let message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}
