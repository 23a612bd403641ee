/// A statement from one of TaskWarden's SQL files, as a Swift type whose members are its inputs.
///
/// The `EmbedSQLPlugin` build-tool plugin generates one conforming type per statement
/// (`SQL.Runs.Current` for `sql/runs/current.sql` and its dialect files): a stored property per
/// `:parameter`, a `Bool` per `{{#if flag}}`, an array per repeated block, and a ``Row`` with an
/// accessor per result column it can name. Its initializer takes every parameter, so a
/// statement missing a value, a misspelled flag, or a file that no longer exists is a compile
/// error rather than a failure at run time (as `PostgresPreparedStatement` does by hand, and
/// sqlc by generation).
package protocol SQLStatement: Sendable {
    /// The typed view of a result row.
    associatedtype Row: SQLResultRow

    /// The statement's path under `sql/`, without extension: `runs/current`.
    static var name: String { get }
    /// The backends that have a form of it (a file of their own, or the shared one).
    static var backends: Set<DatabaseBackend> { get }
    /// The names from the table mapping its text uses (`{{status}}`, `{{#has kind}}`).
    static var names: Set<String> { get }
    /// The form for `backend`, if it has one.
    static func template(for backend: DatabaseBackend) -> SQLTemplate?

    /// The statement's values, lists, flags and blocks, under the names its SQL uses.
    var arguments: SQLArguments { get }
}

/// A result row of a statement, with an accessor per column the generator could name.
package protocol SQLResultRow: Sendable {
    init(_ raw: Row)
    /// The row as the driver returned it.
    var raw: Row { get }
}

/// A statement rendered for a backend that has no form of it (a session lock on SQLite).
package struct SQLStatementUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    package let statement: String
    package let backend: DatabaseBackend
    package init(statement: String, backend: DatabaseBackend) {
        self.statement = statement
        self.backend = backend
    }
    package var description: String { "sql/\(statement) has no form for \(backend.displayName)" }
}

extension SQLStatement {
    /// The statement's SQL for `dialect`, with `names` (the table mapping) quoted into it, and
    /// its values in placeholder order.
    ///
    /// - Throws: ``SQLStatementUnavailable`` when the dialect has no form of the statement;
    ///   ``SQLTemplateError`` when the text uses a name `names` does not map.
    package func render(
        for dialect: SQLDialect, names: [String: SQLIdentifier] = [:]
    ) throws -> (sql: String, parameters: [DatabaseValue]) {
        guard let template = Self.template(for: dialect.backend) else {
            throw SQLStatementUnavailable(statement: Self.name, backend: dialect.backend)
        }
        return try template.render(for: dialect, names: names, arguments)
    }

    /// Whether `backend` has a form of the statement.
    package static func isAvailable(on backend: DatabaseBackend) -> Bool { backends.contains(backend) }
}
