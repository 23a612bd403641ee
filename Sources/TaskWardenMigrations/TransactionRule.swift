import TaskWardenCore

/// Which statements a database refuses to run inside a transaction block.
///
/// Formats with no transaction directive (golang-migrate, Flyway) run such a migration
/// statement by statement outside a transaction, as the tools themselves end up doing:
/// golang-migrate sends a lone `CREATE INDEX CONCURRENTLY` as a single statement, and Flyway
/// detects these statements on PostgreSQL.
enum TransactionRule {
    /// Whether any of `statements` cannot run in a transaction on `backend`.
    static func refusesTransaction(any statements: [String], backend: DatabaseBackend) -> Bool {
        statements.contains { refusesTransaction($0, backend: backend) }
    }

    /// Whether `statement` cannot run in a transaction on `backend`: PostgreSQL's
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`,
    /// `VACUUM`, `CREATE`/`DROP DATABASE`, `CREATE`/`DROP TABLESPACE`, `ALTER SYSTEM`;
    /// SQLite's `VACUUM`. MySQL commits DDL implicitly anyway.
    static func refusesTransaction(_ statement: String, backend: DatabaseBackend) -> Bool {
        let words = codeWords(statement)
        guard let first = words.first else { return false }
        switch backend {
        case .postgresql:
            let second = words.dropFirst().first ?? ""
            switch first {
            case "VACUUM": return true
            case "CREATE", "DROP":
                if ["DATABASE", "TABLESPACE"].contains(second) { return true }
                return words.prefix(4).contains("INDEX") && words.prefix(5).contains("CONCURRENTLY")
            case "REINDEX": return words.contains("CONCURRENTLY")
            case "ALTER": return second == "SYSTEM"
            default: return false
            }
        case .sqlite: return first == "VACUUM"
        case .mysql: return false
        }
    }

    /// The statement's first words, upper-cased, after any leading comments.
    private static func codeWords(_ statement: String) -> [String] {
        var text = Substring(statement)
        while true {
            text = text.drop { $0.isWhitespace }
            if text.hasPrefix("--") {
                text = text.drop { $0 != "\n" }
            } else if text.hasPrefix("/*"), let end = text.range(of: "*/") {
                text = text[end.upperBound...]
            } else {
                break
            }
        }
        return text.prefix(200).split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ";" }).prefix(8).map { $0.uppercased() }
    }
}
