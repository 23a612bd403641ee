import Logging

/// Lends one connection, to one caller at a time, on a thread of its own.
///
/// A command or a script works in one session: its settings, its locks and its transactions
/// stay on one connection. A `ConnectionQueue` owns that connection and serializes the work
/// on it (as GRDB's `DatabaseQueue` does); its `async` methods run the closure on the queue's
/// own thread while the awaiting task is suspended, so the blocking C calls never run on
/// Swift's cooperative pool.
///
/// The connection is kept however long it sits idle. Only when it is lost does the queue open
/// a new one, on the next attempt that `retry` allows; with ``RetryPolicy/never`` a lost
/// session is reported, never silently replaced.
///
/// - Important: do not call the queue again from inside one of its closures: the closure
///   already holds the one connection, and the inner call would wait for it forever. Use the
///   connection the closure was given.
///
/// ```swift
/// let queue = try await ConnectionQueue.open(url, using: DatabaseDrivers.connect)
/// let count = try await queue.withConnection(retry: .never) { db in
///     try db.queryValue(Int.self, "SELECT count(*) FROM task_runs")
/// }
/// ```
public final class ConnectionQueue: DatabaseAccess {
    private let slot: ConnectionPool

    public var url: DatabaseURL { slot.url }

    /// Takes ownership of `connection`, which must not be used elsewhere afterwards; `connect`
    /// replaces it when it was lost and a retry allows another attempt.
    public init(
        _ connection: any DatabaseConnection, logger: Logger = Logger(label: "taskwarden.queue"),
        reconnect connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) {
        slot = ConnectionPool(url: connection.url, options: Self.options, logger: logger, seed: connection, connect: connect)
    }

    private init(url: DatabaseURL, logger: Logger, connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection) {
        slot = ConnectionPool(url: url, options: Self.options, logger: logger, seed: nil, connect: connect)
    }

    /// Opens a connection to `url` on the queue's thread, retrying as `retry` allows (a
    /// database that is not up yet), and returns the queue that owns it.
    ///
    /// Cancelling the task ends the backoff between attempts with `CancellationError`.
    public static func open(
        _ url: DatabaseURL, retry: RetryPolicy = .never, logger: Logger = Logger(label: "taskwarden.queue"),
        using connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) async throws -> ConnectionQueue {
        let queue = ConnectionQueue(url: url, logger: logger, connect: connect)
        do {
            try await queue.slot.withConnection(retry: retry) { _ in }
        } catch {
            queue.close()
            throw error
        }
        return queue
    }

    /// ``open(_:retry:logger:using:)`` for a thread of your own; blocks it while connecting
    /// and between attempts.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public static func open(
        _ url: DatabaseURL, retry: RetryPolicy = .never, logger: Logger = Logger(label: "taskwarden.queue"),
        using connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) throws -> ConnectionQueue {
        let queue = ConnectionQueue(url: url, logger: logger, connect: connect)
        do {
            try queue.slot.withConnection(retry: retry) { _ in }
        } catch {
            queue.close()
            throw error
        }
        return queue
    }

    @discardableResult
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func withConnection<T>(retry: RetryPolicy = .standard, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        try slot.withConnection(retry: retry, body)
    }

    @discardableResult
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func withTransaction<T>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: (any DatabaseConnection) throws -> T
    ) throws -> T {
        try slot.withTransaction(retry: retry, idempotent: idempotent, body)
    }

    @discardableResult
    public func withConnection<T: Sendable>(
        retry: RetryPolicy = .standard, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await slot.withConnection(retry: retry, body)
    }

    @discardableResult
    public func withTransaction<T: Sendable>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await slot.withTransaction(retry: retry, idempotent: idempotent, body)
    }

    /// Closes the connection (once the work already running on it is done) and lends it no more.
    public func close() {
        slot.close()
    }

    /// One connection, kept however long it is idle or old: the pool's health checks would
    /// replace a session that holds settings and locks the work relies on.
    private static var options: ConnectionPool.Options {
        var options = ConnectionPool.Options()
        options.maxConnections = 1
        options.maxIdle = 1
        options.idleCheckAfter = .seconds(Int64.max / 2)
        options.maxAge = .seconds(Int64.max / 2)
        return options
    }
}
