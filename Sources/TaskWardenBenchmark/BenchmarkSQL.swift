import TaskWarden
import TaskWardenSQL

/// The benchmark's own statements, `sql/bench/`, embedded at build time into this
/// target only (see `EmbedSQLPlugin`), so the shipped `taskwarden` binary does not carry them.
enum BenchmarkSQL {
    /// Benchmark statement `name` (it starts with `bench/`) for `dialect`, as a template.
    static func template(_ name: String, for dialect: SQLDialect) -> SQLTemplate {
        guard let text = EmbeddedSQL.statementText(name, dialect: dialect.directoryName, in: files) else {
            preconditionFailure("sql/\(name).sql has no form for \(dialect.directoryName)")
        }
        return SQLTemplate(text)
    }
}
