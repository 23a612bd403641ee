/// Something that lends a connection for a piece of work, synchronously or from `async` code.
///
/// TaskWarden reaches a database in one way: ask for a connection for the length of a closure,
/// as GRDB's `DatabaseReader`/`DatabaseWriter` do. ``ConnectionQueue`` lends its single
/// connection; ``ConnectionPool`` lends one of at most `maxConnections`. Run lifecycles and
/// maintenance operations take `some DatabaseAccess`, so they do not care which.
///
/// Each method comes twice, with the same name: a blocking form for threads of your own
/// (`noasync`: it would hold one of the cooperative pool's few threads), and an `async` form
/// that runs the closure on a thread owned by the connection while the awaiting task is
/// suspended, so the blocking C calls never run on Swift's cooperative pool. The `async` forms
/// honour task cancellation: they check it before each attempt, while waiting for a
/// connection, and during a retry's backoff, and then throw `CancellationError`. A statement
/// already running is left to finish.
///
/// ```swift
/// let count = try await database.withConnection { db in
///     try db.queryValue(Int.self, "SELECT count(*) FROM task_runs")
/// }
/// ```
public protocol DatabaseAccess: Sendable {
    /// The URL connections are opened with (its `description` is redacted).
    var url: DatabaseURL { get }

    /// Runs `body` with a connection, again on a fresh one after a transient error.
    ///
    /// `body` may run more than once under `retry`: make it safe to repeat (a read, or a
    /// compare-and-set), or pass ``RetryPolicy/never``.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    @discardableResult
    func withConnection<T>(retry: RetryPolicy, _ body: (any DatabaseConnection) throws -> T) throws -> T

    /// Runs `body` in a transaction, re-running the whole transaction on a fresh connection
    /// after a transient error.
    ///
    /// - Important: when the connection is lost *during* `COMMIT`, the transaction may or may
    ///   not have committed. Unless `idempotent` says that running `body` twice is harmless
    ///   (as with a compare-and-set that recognises its own earlier success), this throws
    ///   ``CommitOutcomeUnknown`` instead of re-running it.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    @discardableResult
    func withTransaction<T>(retry: RetryPolicy, idempotent: Bool, _ body: (any DatabaseConnection) throws -> T) throws -> T

    /// ``withConnection(retry:_:)`` from `async` code: `body` runs on the connection's own
    /// thread; cancellation ends the wait for a connection and the backoff between attempts.
    @discardableResult
    func withConnection<T: Sendable>(retry: RetryPolicy, _ body: @Sendable (any DatabaseConnection) throws -> T) async throws -> T

    /// ``withTransaction(retry:idempotent:_:)`` from `async` code, on the connection's own thread.
    @discardableResult
    func withTransaction<T: Sendable>(
        retry: RetryPolicy, idempotent: Bool, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T
}

extension DatabaseAccess {
    /// ``withConnection(retry:_:)`` with ``RetryPolicy/standard``.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    @discardableResult
    public func withConnection<T>(_ body: (any DatabaseConnection) throws -> T) throws -> T {
        try withConnection(retry: .standard, body)
    }

    /// ``withTransaction(retry:idempotent:_:)`` with ``RetryPolicy/standard``, not idempotent.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    @discardableResult
    public func withTransaction<T>(_ body: (any DatabaseConnection) throws -> T) throws -> T {
        try withTransaction(retry: .standard, idempotent: false, body)
    }

    /// ``withTransaction(retry:idempotent:_:)`` with `idempotent: false`.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    @discardableResult
    public func withTransaction<T>(retry: RetryPolicy, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        try withTransaction(retry: retry, idempotent: false, body)
    }

    /// ``withConnection(retry:_:)`` with ``RetryPolicy/standard``, from `async` code.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @Sendable (any DatabaseConnection) throws -> T) async throws -> T {
        try await withConnection(retry: .standard, body)
    }

    /// ``withTransaction(retry:idempotent:_:)`` with ``RetryPolicy/standard``, not idempotent,
    /// from `async` code.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @Sendable (any DatabaseConnection) throws -> T) async throws -> T {
        try await withTransaction(retry: .standard, idempotent: false, body)
    }

    /// ``withTransaction(retry:idempotent:_:)`` with `idempotent: false`, from `async` code.
    @discardableResult
    public func withTransaction<T: Sendable>(
        retry: RetryPolicy, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await withTransaction(retry: retry, idempotent: false, body)
    }
}

/// The ``ConnectionPool`` or ``ConnectionQueue`` was closed: it lends no more connections.
public struct DatabaseAccessClosed: Error, Sendable, CustomStringConvertible {
    public let url: DatabaseURL
    public init(url: DatabaseURL) { self.url = url }
    public var description: String { "the connections to \(url.redacted) were closed" }
}
