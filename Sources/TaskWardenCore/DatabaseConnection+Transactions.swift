extension DatabaseConnection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// The transaction is opened with the dialect's ``SQLDialect/beginTransactionSQL``, which
    /// is `BEGIN IMMEDIATE` on SQLite: the write lock is taken up front, so the busy timeout
    /// applies there instead of failing later at the first write with `SQLITE_BUSY`.
    ///
    /// If the rollback itself fails (typically because the connection was lost), the error
    /// from `body` is the one thrown: it says what went wrong first.
    ///
    /// - Important: if the connection is lost during `COMMIT`, whether the transaction
    ///   committed is unknown. The error's category is ``DatabaseError/Category/connectionLost``;
    ///   do not blindly re-run work that is not idempotent.
    @discardableResult
    public func inTransaction<T>(_ body: (Self) throws -> T) throws -> T {
        try execute(dialect.beginTransactionSQL, [])
        let result: T
        do {
            result = try body(self)
        } catch {
            _ = try? execute("ROLLBACK", [])
            throw error
        }
        do {
            try execute("COMMIT", [])
        } catch {
            // A failed COMMIT can leave the transaction open (SQLite's SQLITE_BUSY does).
            _ = try? execute("ROLLBACK", [])
            throw error
        }
        return result
    }
}
