import TaskWardenCore

extension SQLDialect {
    /// SQLite's dialect for library version `versionNumber` (e.g. 3040001 for 3.40.1).
    static func sqlite(versionNumber: Int, hasDeleteLimit: Bool) -> SQLDialect {
        SQLDialect(
            backend: .sqlite, placeholderStyle: .questionMark,
            returning: versionNumber >= 3_035_000 ? .all : [],
            supportsDeleteLimit: hasDeleteLimit, supportsSkipLocked: false,
            locking: .databaseFileLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN IMMEDIATE")
    }
}
