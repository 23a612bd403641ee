import Foundation
import Logging
import ServiceLifecycleTestKit
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The pool lends at most `maxConnections` sessions, on threads of its own, and its `async`
/// forms end their waits when the task is cancelled.
///
/// The full suite keeps the cooperative pool busy with blocking tests for minutes at a time, so
/// these tests prove their point by outcome, not by a tight clock: a wait that cancellation did
/// not end would last hours, or would end in success.
@Suite("ConnectionPool")
struct ConnectionPoolTests {
    @Test("cancelling the task ends a retry's backoff at once, with CancellationError", .timeLimit(.minutes(10)), arguments: TestBackend.allCases)
    func cancelledBackoff(backend: TestBackend) async throws {
        let records = LogRecords()
        let pool = DatabaseDrivers.pool(try backend.makeURL(), logger: .recording(into: records))
        defer { pool.close() }
        // Every error is retried, after a wait of up to ten hours (with full jitter, under ten
        // minutes one time in sixty): only cancellation ends it in time.
        let tenHours = Duration.seconds(36_000)
        let policy = RetryPolicy(maxTotalTime: tenHours * 2, initialDelay: tenHours, maxDelay: tenHours, isRetryable: { _ in true })
        let work = Task {
            try await pool.withConnection(retry: policy) { db in try db.query("SELECT * FROM no_such_table_here", []) }
        }
        // The first attempt failed and its backoff began.
        let deadline = ContinuousClock.now + .seconds(300)
        while !records.messages.contains("retrying database work") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(records.messages.contains("retrying database work"), "\(records.messages)")
        try await Task.sleep(for: .milliseconds(100))

        let cancelled = ContinuousClock.now
        work.cancel()
        let result = await work.result
        #expect(ContinuousClock.now - cancelled < .seconds(300), "the backoff ran on after cancellation")
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test("at most maxConnections sessions at once, each on a pool thread; a waiter's cancellation ends its wait", arguments: TestBackend.allCases)
    func bounded(backend: TestBackend) async throws {
        var options = ConnectionPool.Options()
        options.maxConnections = 2
        let pool = DatabaseDrivers.pool(try backend.makeURL(), options: options)
        defer { pool.close() }
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await pool.withConnection(retry: .never) { db in
                        gauge.enter(thread: Thread.current.name ?? "")
                        defer { gauge.leave() }
                        _ = try db.query("SELECT 1", [])
                        // Holding the connection, on the pool's thread, until a second caller
                        // holds one too (or a pool that lent only one would wait here for 30 s).
                        gauge.waitUntil(inside: 2, timeout: 30)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(gauge.highest == 2)
        #expect(gauge.threads.allSatisfy { $0.hasPrefix("tw.pool.") }, "\(gauge.threads)")
        #expect(gauge.threads.count <= 2)

        // Both connections held until the test lets go: a third caller waits, until it is
        // cancelled. Had cancellation not ended its wait, it would still be waiting.
        let release = DispatchSemaphore(value: 0)
        let holding = Gauge()
        let holders = (0..<2).map { _ in
            Task {
                try await pool.withConnection(retry: .never) { _ in
                    holding.enter(thread: "")
                    release.wait()
                }
            }
        }
        // Polled, not waited for: a blocked test would hold one of the cooperative pool's threads.
        let deadline = ContinuousClock.now + .seconds(300)
        while holding.highest < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let waiter = Task { try await pool.withConnection(retry: .never) { _ in 1 } }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(holding.highest == 2)
        release.signal()
        release.signal()
        for holder in holders { try await holder.value }
        // The cancelled waiter left the queue: the pool still lends both connections.
        #expect(try await pool.withConnection(retry: .never) { _ in 2 } == 2)
    }

    @Test("close() ends a blocking caller's backoff and a blocked wait for a connection", arguments: TestBackend.allCases)
    func closeEndsBlockingWaits(backend: TestBackend) throws {
        let url = try backend.makeURL()
        let records = LogRecords()
        let retrying = DatabaseDrivers.pool(url, logger: .recording(into: records))
        var one = ConnectionPool.Options()
        one.maxConnections = 1
        let full = DatabaseDrivers.pool(url, options: one)
        let tenHours = Duration.seconds(36_000)
        let policy = RetryPolicy(maxTotalTime: tenHours * 2, initialDelay: tenHours, maxDelay: tenHours, isRetryable: { _ in true })
        let errors = ErrorList()
        let ended = DispatchGroup()
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)

        ended.enter()
        Thread.detachNewThread {
            defer { ended.leave() }
            do {
                try retrying.withConnection(retry: policy) { db in try db.query("SELECT * FROM no_such_table_here", []) }
            } catch {
                errors.append(error)
            }
        }
        let holderErrors = ErrorList()
        Thread.detachNewThread {
            do {
                try full.withConnection(retry: .never) { _ in
                    holding.signal()
                    release.wait()
                }
            } catch {
                // (A server out of connection slots, say): reported, not a wait forever.
                holderErrors.append(error)
                holding.signal()
            }
        }
        #expect(holding.wait(timeout: .now() + 60) == .success, "the holder never got the pool's one connection")
        guard holderErrors.all.isEmpty else {
            Issue.record("the holder could not connect: \(holderErrors.all)")
            retrying.close()
            full.close()
            return
        }
        ended.enter()
        Thread.detachNewThread {
            defer { ended.leave() }
            do {
                try full.withConnection(retry: .never) { _ in }
            } catch {
                errors.append(error)
            }
        }
        let deadline = Date(timeIntervalSinceNow: 60)
        while !records.messages.contains("retrying database work") && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.1)  // The waiter has queued.

        retrying.close()
        full.close()
        #expect(ended.wait(timeout: .now() + 60) == .success, "a blocked caller outlived close()")
        release.signal()
        #expect(errors.all.count == 2)
        #expect(errors.all.allSatisfy { $0 is DatabaseAccessClosed }, "\(errors.all)")
    }

    @Test("as a Service, the pool lends until graceful shutdown, then closes", arguments: TestBackend.allCases)
    func service(backend: TestBackend) async throws {
        let pool = DatabaseDrivers.pool(try backend.makeURL())
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                #expect(try await pool.withConnection { db in try db.queryValue(Int.self, "SELECT 1") } == 1)
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        await #expect(throws: DatabaseAccessClosed.self) { try await pool.withConnection { _ in 1 } }
    }
}

/// How many closures run at once, at most, and on which threads.
private final class Gauge: @unchecked Sendable {
    private let condition = NSCondition()
    private var current = 0
    private var peak = 0
    private var names: Set<String> = []

    var highest: Int { condition.withLock { peak } }
    var threads: Set<String> { condition.withLock { names } }

    func enter(thread: String) {
        condition.withLock {
            current += 1
            peak = max(peak, current)
            names.insert(thread)
            condition.broadcast()
        }
    }

    func leave() { condition.withLock { current -= 1 } }

    /// Blocks until `count` closures are inside at once (or were), or `timeout` seconds passed;
    /// for the pool's own threads only.
    func waitUntil(inside count: Int, timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.withLock {
            while peak < count && condition.wait(until: deadline) {}
        }
    }
}

/// Errors collected across threads.
private final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    var all: [any Error] { lock.withLock { errors } }
    func append(_ error: any Error) { lock.withLock { errors.append(error) } }
}
