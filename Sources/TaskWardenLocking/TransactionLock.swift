import TaskWardenCore

/// The "lock" of SQLite: none beyond the database file lock every write transaction takes.
///
/// SQLite serializes writers itself; `BEGIN IMMEDIATE` takes the write lock up front (waiting
/// up to the busy timeout). Work that uses this lock must re-check its preconditions inside
/// each write transaction, as the migration engine does, so that concurrent processes each do
/// only what is still left to do.
public final class TransactionLock: DatabaseLock {
    public init() {}
    public var description: String { "the database file lock (BEGIN IMMEDIATE per migration)" }
    public func tryAcquire() throws -> Bool { true }
    public var isLost: Bool { false }
    public func release() {}
}
