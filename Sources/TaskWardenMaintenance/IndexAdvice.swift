import TaskWardenCore
import TaskWardenSQL

/// An index a command needs on a task table: which columns, for what, and the statement that
/// creates it without blocking writers where the backend can.
///
/// `map` proposes these for a table it inspects; `doctor` reports those a mapped table lacks.
/// Without them, stuck detection, purge and `list --status` read the whole table on every run.
struct IndexAdvice: Sendable, Hashable {
    /// `stuck detection`, `purge` or `list --status`.
    let purpose: String
    let columns: [String]

    /// The indexes the commands read, for a table whose roles are these columns.
    static func needed(status: String?, lastSignOfLife: String?, finished: String?, id: String?) -> [IndexAdvice] {
        guard let status else { return [] }
        var needed: [IndexAdvice] = []
        if let lastSignOfLife { needed.append(IndexAdvice(purpose: "stuck detection", columns: [status, lastSignOfLife])) }
        if let finished { needed.append(IndexAdvice(purpose: "purge", columns: [status, finished])) }
        if let id { needed.append(IndexAdvice(purpose: "list --status", columns: [status, id])) }
        return needed
    }

    /// Those of `needed` no index of `indexes` (name to columns, in order) starts with.
    ///
    /// On MySQL and SQLite every index ends with the primary key, so an index on the status
    /// alone serves `list --status` (status, then id) too.
    static func missing(_ needed: [IndexAdvice], indexes: [String: [String]], backend: DatabaseBackend) -> [IndexAdvice] {
        let existing = indexes.values.map { $0.map { $0.lowercased() } }
        return needed.filter { advice in
            let wanted = advice.columns.map { $0.lowercased() }
            let implicitKey = backend != .postgresql && advice.purpose == "list --status"
            return !existing.contains { Array($0.prefix(wanted.count)) == wanted || (implicitKey && $0 == [wanted[0]]) }
        }
    }

    /// The statement that creates this index on `table` (`sql/map/create_index`), to print.
    func statement(on table: SQLIdentifier, dialect: SQLDialect) throws -> String {
        let suffix = purpose == "purge" ? "retention" : purpose == "stuck detection" ? "stuck" : "status"
        let names = [
            "index": try SQLIdentifier("\(table.name)_taskwarden_\(suffix)_idx"), "table": table,
            "first": try SQLIdentifier(columns[0]), "second": try SQLIdentifier(columns[1]),
        ]
        // One line to print: the file's comment lines describe it for its readers, not this one.
        let sql = try SQL.Map.CreateIndex().render(for: dialect, names: names).sql
        return sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: " ") + ";"
    }
}
