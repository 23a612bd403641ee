import TaskWardenCore

/// The SQL files of `migrations/` and `sql/`, compiled into the binary.
///
/// Those folders are the single source of SQL; the `EmbedSQLPlugin` build-tool plugin copies
/// them into a Swift file in the build directory on every build (nothing generated is
/// committed). Embedding, rather than reading files at run time, lets `taskwarden` work from
/// any directory, as a single copied binary. The benchmark's statements (`sql/<dialect>/bench/`)
/// are left out; they are embedded into the benchmark alone.
public enum EmbeddedSQL {
    /// The text of the file at `path` (e.g. `sql/mysql/locks/lease_claim.sql`), if embedded.
    public static func text(at path: String) -> String? { files[path] }

    /// The embedded paths under `prefix`, sorted.
    public static func paths(under prefix: String) -> [String] {
        files.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every embedded path, sorted.
    public static var allPaths: [String] { files.keys.sorted() }

    /// The operation file `sql/<dialect>/<name>.sql` as a template.
    ///
    /// A missing file is a packaging bug, not a user error, so it traps with the name.
    public static func template(_ name: String, for dialect: SQLDialect) -> SQLTemplate {
        let path = "sql/\(dialect.directoryName)/\(name).sql"
        guard let text = files[path] else { preconditionFailure("\(path) is not embedded") }
        return SQLTemplate(text)
    }

    /// The statements of the script `sql/<dialect>/<name>.sql`, split for the dialect.
    public static func script(_ name: String, for dialect: SQLDialect) -> [String] {
        SQLStatementSplitter(backend: dialect.backend).split(template(name, for: dialect).source)
    }
}
