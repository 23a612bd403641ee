import TaskWarden

/// The benchmark's own statements, `sql/<dialect>/bench/`, embedded at build time into this
/// target only (see `EmbedSQLPlugin`), so the shipped `taskwarden` binary does not carry them.
enum BenchmarkSQL {
    /// The statement `sql/<dialect>/<name>.sql` (`name` starts with `bench/`) as a template.
    static func template(_ name: String, for dialect: SQLDialect) -> SQLTemplate {
        let path = "sql/\(dialect.directoryName)/\(name).sql"
        guard let text = files[path] else { preconditionFailure("\(path) is not a benchmark statement") }
        return SQLTemplate(text)
    }
}
