import TaskWardenCore

extension SQLDialect {
    /// The dialect of a MySQL or MariaDB server; `versionNumber` is e.g. 101106 for 10.11.6.
    static func mySQL(isMariaDB: Bool, versionNumber: Int) -> SQLDialect {
        var returning: ReturningSupport = []
        if isMariaDB {
            // DELETE ... RETURNING since 10.0.5, INSERT ... RETURNING since 10.5; never UPDATE.
            if versionNumber >= 100_005 { returning.insert(.delete) }
            if versionNumber >= 100_500 { returning.insert(.insert) }
        }
        return SQLDialect(
            backend: .mysql, isMariaDB: isMariaDB, placeholderStyle: .questionMark, returning: returning,
            supportsDeleteLimit: true,
            supportsSkipLocked: isMariaDB ? versionNumber >= 100_600 : versionNumber >= 80_001,
            locking: .namedLock, identifierQuote: "`", beginTransactionSQL: "START TRANSACTION")
    }
}
