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
    ///   committed is unknown, and this throws ``CommitOutcomeUnknown`` rather than the plain
    ///   connection-lost error: do not blindly re-run work that is not idempotent.
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
        } catch let error as DatabaseError where error.category == .connectionLost {
            throw CommitOutcomeUnknown(underlying: error)
        } catch {
            // A failed COMMIT can leave the transaction open (SQLite's SQLITE_BUSY does).
            _ = try? execute("ROLLBACK", [])
            throw error
        }
        return result
    }
}

/// The connection was lost while `COMMIT` was in flight: the transaction may or may not have
/// committed, and re-running work that is not idempotent could do it twice.
public struct CommitOutcomeUnknown: Error, Sendable, CustomStringConvertible {
    public let underlying: DatabaseError
    public init(underlying: DatabaseError) { self.underlying = underlying }
    public var description: String {
        "the connection was lost during COMMIT, so whether the transaction committed is unknown: \(underlying)"
    }
}
