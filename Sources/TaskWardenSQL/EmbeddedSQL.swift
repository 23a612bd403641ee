import TaskWardenCore

/// The SQL files of `migrations/` and `sql/`, compiled into the binary.
///
/// Those folders are the single source of SQL; the `EmbedSQLPlugin` build-tool plugin copies
/// them into a Swift file in the build directory on every build (nothing generated is
/// committed). Embedding, rather than reading files at run time, lets `taskwarden` work from
/// any directory, as a single copied binary. The benchmark's statements (`sql/bench/`) are left
/// out; they are embedded into the benchmark alone.
public enum EmbeddedSQL {
    /// The text of the file at `path` (e.g. `sql/locks/lease_claim.mysql.sql`), if embedded.
    public static func text(at path: String) -> String? { files[path] }

    /// The embedded paths under `prefix`, sorted.
    public static func paths(under prefix: String) -> [String] {
        files.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every embedded path, sorted.
    public static var allPaths: [String] { files.keys.sorted() }

    /// The text of statement `name` (`runs/current`) for `dialect`, if it has one.
    ///
    /// A statement that is the same in every dialect is one file, `sql/<name>.sql`; a dialect
    /// whose SQL differs has its own, `sql/<name>.<dialect>.sql`, which wins. A statement only
    /// some dialects have (a session lock, say) exists only as their dialect files.
    public static func statementText(_ name: String, for dialect: SQLDialect) -> String? {
        Self.statementText(name, dialect: dialect.directoryName, in: files)
    }

    /// `statementText(_:for:)` over any set of embedded files, for the benchmark's own.
    public static func statementText(_ name: String, dialect: String, in files: [String: String]) -> String? {
        files["sql/\(name).\(dialect).sql"] ?? files["sql/\(name).sql"]
    }

    /// Statement `name` for `dialect` as a template.
    ///
    /// A missing statement is a packaging bug, not a user error, so it traps with the name.
    public static func template(_ name: String, for dialect: SQLDialect) -> SQLTemplate {
        guard let text = statementText(name, for: dialect) else {
            preconditionFailure("sql/\(name).sql has no form for \(dialect.directoryName)")
        }
        return SQLTemplate(text)
    }

    /// The statements of the script `name` (`sql/<name>.sql` or its dialect's file), split for the dialect.
    public static func script(_ name: String, for dialect: SQLDialect) -> [String] {
        SQLStatementSplitter(backend: dialect.backend).split(template(name, for: dialect).source)
    }
}
