import Dispatch
import Foundation
import Logging

/// Hands out healthy connections for short sessions, and retries work that lost one.
///
/// Seed 002 is the reason this exists: a worker held one connection through minutes of work,
/// the server dropped it (`wait_timeout`), and the final status update was lost. A pool's
/// health check at checkout (`pool_pre_ping`) cannot help a connection held across the work;
/// short sessions can. So the pool is built for them:
///
/// - a connection idle for longer than `idleCheckAfter` is pinged before it is handed out,
///   and one older than `maxAge` is replaced; a connection the server dropped (`wait_timeout`)
///   that slips past the ping fails its first statement, and that attempt is re-run on a
///   fresh connection, so either way the final update is not lost to it;
/// - ``withConnection(retry:_:)`` and ``withTransaction(retry:idempotent:_:)`` run the work,
///   and on a transient error (connection lost, timeout, deadlock, busy) discard a broken
///   connection and run it again from the start on a fresh one, with backoff (``RetryPolicy``);
/// - every retry is logged with its reason and the redacted URL.
///
/// Connect, read and statement timeouts and TCP keepalives come from the URL
/// (`connect_timeout`, libpq's `keepalives_idle`, MySQL's `read_timeout`, ...).
///
/// The pool is `Sendable`: any thread may use it, each call gets a connection of its own. Its
/// calls block the calling thread; from `async` code use the `async` variants, which run on a
/// dispatch queue, never on Swift's cooperative pool.
public final class DatabasePool: @unchecked Sendable {
    /// How the pool keeps its connections fresh.
    public struct Options: Sendable {
        /// Idle connections kept for reuse.
        public var maxIdle = 4
        /// A connection idle longer than this is pinged before use.
        public var idleCheckAfter: Duration = .seconds(10)
        /// A connection older than this is closed instead of reused.
        public var maxAge: Duration = .seconds(30 * 60)
        public init() {}
    }

    public let url: DatabaseURL
    public let options: Options
    private let connect: @Sendable (DatabaseURL) throws -> any DatabaseConnection
    private let logger: Logger
    private let mutex = NSLock()
    private var idle: [PooledConnection] = []
    private let queue = DispatchQueue(label: "taskwarden.pool", attributes: .concurrent)

    public init(
        url: DatabaseURL, options: Options = Options(), logger: Logger = Logger(label: "taskwarden.pool"),
        connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) {
        self.url = url
        self.options = options
        self.logger = logger
        self.connect = connect
    }

    deinit {
        for pooled in idle { pooled.connection.close() }
    }

    /// Runs `body` with a healthy connection, retrying it on a fresh one after transient errors.
    ///
    /// `body` may run more than once: make it safe to repeat (a read, or a compare-and-set).
    @discardableResult
    public func withConnection<T>(retry: RetryPolicy = .standard, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        try retrying(retry) { connection in try body(connection) }
    }

    /// Runs `body` in a transaction on a healthy connection, re-running the whole transaction
    /// on a fresh connection after a transient error.
    ///
    /// - Important: when the connection is lost *during* `COMMIT`, the transaction may or may
    ///   not have committed. Unless `idempotent` says that running `body` twice is harmless
    ///   (as with a compare-and-set that recognises its own earlier success), this throws
    ///   ``CommitOutcomeUnknown`` instead of re-running it.
    @discardableResult
    public func withTransaction<T>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: (any DatabaseConnection) throws -> T
    ) throws -> T {
        try retrying(retry) { connection in
            do {
                return try connection.inTransaction { try body($0) }
            } catch let unknown as CommitOutcomeUnknown where idempotent {
                // Safe to run again: the work recognises its own earlier success.
                throw unknown.underlying
            }
        }
    }

    /// ``withConnection(retry:_:)`` from `async` code, on a dispatch thread.
    public func withConnection<T: Sendable>(
        retry: RetryPolicy = .standard, _ body: @escaping @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await queue.runBlocking { try self.withConnection(retry: retry, body) }
    }

    /// ``withTransaction(retry:idempotent:_:)`` from `async` code, on a dispatch thread.
    public func withTransaction<T: Sendable>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: @escaping @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await queue.runBlocking { try self.withTransaction(retry: retry, idempotent: idempotent, body) }
    }

    /// Closes every idle connection.
    public func close() {
        let closing = mutex.withLock { () -> [PooledConnection] in
            defer { idle.removeAll() }
            return idle
        }
        for pooled in closing { pooled.connection.close() }
    }

    private func retrying<T>(_ policy: RetryPolicy, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 1
        while true {
            var pooled: PooledConnection?
            do {
                let checkedOut = try checkOut()
                pooled = checkedOut
                let result = try body(checkedOut.connection)
                checkIn(checkedOut)
                return result
            } catch let error as DatabaseError {
                if let pooled {
                    if error.category == .connectionLost || pooled.connection.isClosed {
                        pooled.connection.close()
                    } else {
                        checkIn(pooled)
                    }
                }
                let elapsed = clock.now - start
                guard let delay = policy.delay(after: error, attempt: attempt, elapsed: elapsed) else {
                    if attempt > 1 {
                        logger.error(
                            "giving up after \(attempt) attempt(s)",
                            metadata: ["url": "\(url.redacted)", "error": "\(error)", "elapsed_s": "\(elapsed.seconds)"])
                    }
                    throw error
                }
                attempt += 1
                logger.warning(
                    "retrying database work",
                    metadata: [
                        "url": "\(url.redacted)", "reason": "\(error.category)", "error": "\(error.message)",
                        "attempt": "\(attempt)", "delay_ms": "\(Int(delay.seconds * 1_000))",
                    ])
                if delay > .zero { Thread.sleep(forTimeInterval: delay.seconds) }
            } catch {
                if let pooled { pooled.connection.isClosed ? pooled.connection.close() : checkIn(pooled) }
                throw error
            }
        }
    }

    /// An idle connection that is still healthy, or a new one.
    private func checkOut() throws -> PooledConnection {
        let clock = ContinuousClock()
        while let candidate = mutex.withLock({ idle.popLast() }) {
            let now = clock.now
            if candidate.connection.isClosed || now - candidate.created > options.maxAge {
                candidate.connection.close()
                continue
            }
            if now - candidate.lastUsed > options.idleCheckAfter {
                do {
                    try candidate.connection.ping()
                } catch {
                    logger.info("dropping a pooled connection that failed its health check", metadata: ["url": "\(url.redacted)", "error": "\(error)"])
                    candidate.connection.close()
                    continue
                }
            }
            return candidate
        }
        let connection = try connect(url)
        return PooledConnection(connection: connection, created: clock.now, lastUsed: clock.now)
    }

    private func checkIn(_ pooled: PooledConnection) {
        var returned = pooled
        returned.lastUsed = ContinuousClock.now
        let overflow: PooledConnection? = mutex.withLock {
            guard idle.count < options.maxIdle else { return returned }
            idle.append(returned)
            return nil
        }
        overflow?.connection.close()
    }
}

/// A connection with the times the pool needs to judge it.
private struct PooledConnection {
    let connection: any DatabaseConnection
    let created: ContinuousClock.Instant
    var lastUsed: ContinuousClock.Instant
}
