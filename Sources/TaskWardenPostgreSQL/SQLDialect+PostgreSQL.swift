import TaskWardenCore

extension SQLDialect {
    /// PostgreSQL's dialect. `serverVersionNumber` is libpq's form, e.g. 150018 for 15.18.
    static func postgreSQL(serverVersionNumber: Int) -> SQLDialect {
        SQLDialect(
            backend: .postgresql, placeholderStyle: .dollarNumbered, returning: .all,
            supportsDeleteLimit: false, supportsSkipLocked: serverVersionNumber >= 90_500,
            locking: .advisoryLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN")
    }
}
