import Foundation
import Logging

/// Lends at most `maxConnections` healthy connections for short sessions, and retries work
/// that lost one.
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
/// The pool is bounded, as postgres-nio's `PostgresClient` is: at most `maxConnections`
/// sessions are open at once, and callers beyond that wait their turn, first come first
/// served (an `async` caller's wait ends when its task is cancelled). Each connection slot
/// has a thread of its own, on which the `async` methods run their
/// closure: the blocking C calls never run on Swift's cooperative pool, and never on more
/// threads than there are connections. The blocking methods run the closure on the calling
/// thread.
///
/// Connect, read and statement timeouts and TCP keepalives come from the URL
/// (`connect_timeout`, libpq's `keepalives_idle`, MySQL's `read_timeout`, ...).
public final class ConnectionPool: DatabaseAccess, @unchecked Sendable {
    /// How many connections the pool opens, and how it keeps them fresh.
    public struct Options: Sendable {
        /// Connections open at once, at most; further callers wait for one to come back.
        public var maxConnections = 8
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
    /// Guards the state below; blocking callers wait on it for a slot or the end of a backoff.
    private let state = NSCondition()
    /// Slots not lent out, the most recently used (warmest connection) last.
    private var idleSlots: [Slot] = []
    /// Slots created so far; never more than `options.maxConnections`.
    private var slotCount = 0
    /// Callers waiting for a slot, in arrival order.
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isClosed = false

    public init(
        url: DatabaseURL, options: Options = Options(), logger: Logger = Logger(label: "taskwarden.pool"),
        connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) {
        var options = options
        options.maxConnections = max(1, options.maxConnections)
        self.url = url
        self.options = options
        self.logger = logger
        self.connect = connect
    }

    /// A pool that starts with `connection` in its one slot, for ``ConnectionQueue``.
    convenience init(
        url: DatabaseURL, options: Options, logger: Logger, seed connection: (any DatabaseConnection)?,
        connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) {
        self.init(url: url, options: options, logger: logger, connect: connect)
        if let connection {
            let slot = makeSlot()
            let now = ContinuousClock.now
            slot.pooled = PooledConnection(connection: connection, created: now, lastUsed: now)
            idleSlots.append(slot)
        }
    }

    deinit {
        for slot in idleSlots {
            slot.pooled?.connection.close()
            slot.thread.stop()
        }
    }

    @discardableResult
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func withConnection<T>(retry: RetryPolicy = .standard, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        try retrying(retry) { connection in try body(connection) }
    }

    @discardableResult
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func withTransaction<T>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: (any DatabaseConnection) throws -> T
    ) throws -> T {
        try retrying(retry) { connection in try Self.transaction(on: connection, idempotent: idempotent, body) }
    }

    @discardableResult
    public func withConnection<T: Sendable>(
        retry: RetryPolicy = .standard, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await retrying(retry) { connection in try body(connection) }
    }

    @discardableResult
    public func withTransaction<T: Sendable>(
        retry: RetryPolicy = .standard, idempotent: Bool = false, _ body: @Sendable (any DatabaseConnection) throws -> T
    ) async throws -> T {
        try await retrying(retry) { connection in try Self.transaction(on: connection, idempotent: idempotent, body) }
    }

    /// Closes the idle connections and lends no more; callers still waiting get
    /// ``DatabaseAccessClosed``. Connections lent out are closed when they come back.
    public func close() {
        let (closing, suspended) = state.withLock { () -> ([Slot], [Waiter]) in
            isClosed = true
            defer {
                idleSlots.removeAll()
                waiters.removeAll()
            }
            for waiter in waiters where waiter.continuation == nil {
                waiter.outcome = .failure(DatabaseAccessClosed(url: url))
            }
            state.broadcast()
            return (idleSlots, waiters.filter { $0.continuation != nil })
        }
        for waiter in suspended { waiter.continuation?.resume(throwing: DatabaseAccessClosed(url: url)) }
        for slot in closing {
            slot.pooled?.connection.close()
            slot.pooled = nil
            slot.thread.stop()
        }
    }

    private static func transaction<T>(
        on connection: any DatabaseConnection, idempotent: Bool, _ body: (any DatabaseConnection) throws -> T
    ) throws -> T {
        do {
            return try connection.inTransaction { try body($0) }
        } catch let unknown as CommitOutcomeUnknown where idempotent {
            // Safe to run again: the work recognises its own earlier success.
            throw unknown.underlying
        }
    }
}

// MARK: - Retrying

extension ConnectionPool {
    /// The blocking retry loop: attempts on the calling thread, backoff waits on the pool's
    /// condition so that ``close()`` ends them.
    private func retrying<T>(_ policy: RetryPolicy, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        let start = ContinuousClock.now
        var attempt = 1
        while true {
            let slot = try takeSlot()
            let result = Result { try self.attempt(on: slot, body) }
            giveBack(slot)
            guard let delay = try nextDelay(after: result, policy: policy, attempt: attempt, start: start) else {
                return try result.get()
            }
            attempt += 1
            try waitOut(delay)
        }
    }

    /// The `async` retry loop: each attempt runs on the slot's own thread; cancellation ends
    /// the wait for a slot and the backoff.
    private func retrying<T: Sendable>(_ policy: RetryPolicy, _ body: @Sendable (any DatabaseConnection) throws -> T) async throws -> T {
        let start = ContinuousClock.now
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let slot = try await takeSlot()
            let result = await slot.thread.run { Result { try self.attempt(on: slot, body) } }
            giveBack(slot)
            guard let delay = try nextDelay(after: result, policy: policy, attempt: attempt, start: start) else {
                return try result.get()
            }
            attempt += 1
            if delay > .zero { try await Task.sleep(for: delay) }
        }
    }

    /// The wait before the next attempt, `nil` when `result` is final; rethrows an error the
    /// policy gives up on (after logging it).
    private func nextDelay<T>(after result: Result<T, any Error>, policy: RetryPolicy, attempt: Int, start: ContinuousClock.Instant) throws -> Duration? {
        guard case .failure(let failure) = result, let error = failure as? DatabaseError else { return nil }
        let elapsed = ContinuousClock.now - start
        guard let delay = policy.delay(after: error, attempt: attempt, elapsed: elapsed) else {
            if attempt > 1 {
                logger.error(
                    "giving up after \(attempt) attempt(s)",
                    metadata: ["url": "\(url.redacted)", "error": "\(error)", "elapsed_s": "\(elapsed.seconds)"])
            }
            throw error
        }
        logger.warning(
            "retrying database work",
            metadata: [
                "url": "\(url.redacted)", "reason": "\(error.category)", "error": "\(error.message)",
                "attempt": "\(attempt + 1)", "delay_ms": "\(Int(delay.seconds * 1_000))",
            ])
        return delay
    }

    /// Blocks for `delay`, or until the pool is closed.
    private func waitOut(_ delay: Duration) throws {
        guard delay > .zero else { return }
        let deadline = Date(timeIntervalSinceNow: delay.seconds)
        try state.withLock {
            while !isClosed && state.wait(until: deadline) {}
            if isClosed { throw DatabaseAccessClosed(url: url) }
        }
    }

    /// One attempt: a healthy connection in `slot`, then `body`. A connection that broke is
    /// closed and taken out of the slot; the caller decides whether to try again.
    private func attempt<T>(on slot: Slot, _ body: (any DatabaseConnection) throws -> T) throws -> T {
        let connection = try healthyConnection(in: slot)
        do {
            let result = try body(connection)
            slot.pooled?.lastUsed = .now
            return result
        } catch let error as DatabaseError where error.category.needsNewConnection || connection.isClosed {
            discardConnection(in: slot)
            throw error
        } catch {
            if connection.isClosed { discardConnection(in: slot) } else { slot.pooled?.lastUsed = .now }
            throw error
        }
    }

    /// The slot's connection if it is still healthy, else a new one.
    private func healthyConnection(in slot: Slot) throws -> any DatabaseConnection {
        if let candidate = slot.pooled {
            let now = ContinuousClock.now
            if candidate.connection.isClosed || now - candidate.created > options.maxAge {
                discardConnection(in: slot)
            } else if now - candidate.lastUsed > options.idleCheckAfter {
                do {
                    try candidate.connection.ping()
                    return candidate.connection
                } catch {
                    logger.info(
                        "dropping a pooled connection that failed its health check",
                        metadata: ["url": "\(url.redacted)", "error": "\(error)"])
                    discardConnection(in: slot)
                }
            } else {
                return candidate.connection
            }
        }
        let connection = try connect(url)
        let now = ContinuousClock.now
        slot.pooled = PooledConnection(connection: connection, created: now, lastUsed: now)
        return connection
    }

    private func discardConnection(in slot: Slot) {
        slot.pooled?.connection.close()
        slot.pooled = nil
    }
}

// MARK: - Slots

extension ConnectionPool {
    /// A free slot, waiting (blocking the thread) for one when all are lent out.
    private func takeSlot() throws -> Slot {
        try state.withLock {
            if isClosed { throw DatabaseAccessClosed(url: url) }
            if let slot = freeSlotLocked() { return slot }
            let waiter = Waiter(id: nextID(), continuation: nil)
            waiters.append(waiter)
            while waiter.outcome == nil { state.wait() }
            return try waiter.outcome!.get()
        }
    }

    /// A free slot, the task suspended (first come, first served) while all are lent out;
    /// cancelling the task ends the wait with `CancellationError`.
    private func takeSlot() async throws -> Slot {
        let id = state.withLock { nextID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
                let immediate: Result<Slot, any Error>? = state.withLock {
                    if isClosed { return .failure(DatabaseAccessClosed(url: url)) }
                    // Cancellation is flagged before its handler runs: a cancel that came before
                    // this waiter was queued is seen here, one that comes after finds it queued.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let slot = freeSlotLocked() { return .success(slot) }
                    waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let cancelled = state.withLock { () -> Waiter? in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index)
            }
            cancelled?.continuation?.resume(throwing: CancellationError())
        }
    }

    /// Returns `slot` to the first waiter, or to the idle slots; closes its connection when
    /// the pool was closed or keeps enough idle connections already.
    private func giveBack(_ slot: Slot) {
        enum Next { case handedOver(Waiter), kept, closingConnection(ConnectionBox), closingSlot }
        let next = state.withLock { () -> Next in
            if isClosed { return .closingSlot }
            if !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                waiter.outcome = .success(slot)
                state.broadcast()
                return .handedOver(waiter)
            }
            if let pooled = slot.pooled, idleSlots.count(where: { $0.pooled != nil }) >= options.maxIdle {
                // Over the idle limit: the connection goes, the slot (and its thread) stays.
                slot.pooled = nil
                idleSlots.insert(slot, at: 0)
                return .closingConnection(ConnectionBox(pooled.connection))
            }
            if slot.pooled == nil { idleSlots.insert(slot, at: 0) } else { idleSlots.append(slot) }
            return .kept
        }
        // Closing sends a goodbye to the server: on the slot's thread, never the caller's task.
        switch next {
        case .handedOver(let waiter):
            waiter.continuation?.resume(returning: slot)
        case .kept:
            break
        case .closingConnection(let box):
            slot.thread.submit { box.connection.close() }
        case .closingSlot:
            slot.thread.submit {
                slot.pooled?.connection.close()
                slot.pooled = nil
            }
            slot.thread.stop()
        }
    }

    /// An idle slot, or a new one while fewer than `maxConnections` exist. Called locked.
    private func freeSlotLocked() -> Slot? {
        if let slot = idleSlots.popLast() { return slot }
        guard slotCount < options.maxConnections else { return nil }
        return makeSlot()
    }

    /// Called locked (or from an initializer).
    private func makeSlot() -> Slot {
        slotCount += 1
        return Slot(thread: ConnectionThread(name: "tw.pool.\(slotCount)"))
    }

    /// Called locked.
    private func nextID() -> UInt64 {
        nextWaiterID += 1
        return nextWaiterID
    }
}

/// One of the pool's `maxConnections` places: its thread, and its connection while it has one.
///
/// Only the caller that took the slot touches `pooled`, so it needs no lock of its own.
private final class Slot: @unchecked Sendable {
    let thread: ConnectionThread
    var pooled: PooledConnection?

    init(thread: ConnectionThread) { self.thread = thread }
}

/// A caller waiting for a slot: a suspended task (with its continuation) or a blocked thread.
private final class Waiter: @unchecked Sendable {
    let id: UInt64
    let continuation: CheckedContinuation<Slot, any Error>?
    /// Set, under the pool's lock, when a blocked thread's wait is over.
    var outcome: Result<Slot, any Error>?

    init(id: UInt64, continuation: CheckedContinuation<Slot, any Error>?) {
        self.id = id
        self.continuation = continuation
    }

}

/// Carries a connection that is no longer in any slot to the thread that closes it.
private final class ConnectionBox: @unchecked Sendable {
    let connection: any DatabaseConnection
    init(_ connection: any DatabaseConnection) { self.connection = connection }
}

/// A connection with the times the pool needs to judge it.
private struct PooledConnection {
    let connection: any DatabaseConnection
    let created: ContinuousClock.Instant
    var lastUsed: ContinuousClock.Instant
}
