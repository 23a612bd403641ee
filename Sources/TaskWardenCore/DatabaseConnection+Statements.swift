/// Running typed statements (``SQLStatement``) on a connection.
extension DatabaseConnection {
    /// Renders `statement` for this connection's dialect, with `names` for the table mapping,
    /// and runs it; returns the rows it changed.
    @discardableResult
    package func execute<Statement: SQLStatement>(_ statement: Statement, names: [String: SQLIdentifier] = [:]) throws -> Int {
        let (sql, parameters) = try statement.render(for: dialect, names: names)
        return try execute(sql, parameters)
    }

    /// Renders `statement` for this connection's dialect and returns its rows, typed.
    package func query<Statement: SQLStatement>(_ statement: Statement, names: [String: SQLIdentifier] = [:]) throws -> [Statement.Row] {
        let (sql, parameters) = try statement.render(for: dialect, names: names)
        return try query(sql, parameters).map(Statement.Row.init)
    }

    /// Renders a script (several statements separated by `;`, no parameters) and runs its
    /// statements one by one, as the dialect's splitter cuts them.
    package func executeScript<Statement: SQLStatement>(_ statement: Statement, names: [String: SQLIdentifier] = [:]) throws {
        for sql in try Self.scriptStatements(statement, dialect: dialect, names: names) {
            try execute(sql, [])
        }
    }

    /// The statements of a script, as ``executeScript(_:names:)`` runs them.
    package static func scriptStatements<Statement: SQLStatement>(
        _ statement: Statement, dialect: SQLDialect, names: [String: SQLIdentifier] = [:]
    ) throws -> [String] {
        let (sql, parameters) = try statement.render(for: dialect, names: names)
        guard parameters.isEmpty else {
            throw SQLTemplateError(message: "sql/\(Statement.name) is run as a script, so it cannot take parameters")
        }
        return SQLStatementSplitter(backend: dialect.backend).split(sql)
    }
}
