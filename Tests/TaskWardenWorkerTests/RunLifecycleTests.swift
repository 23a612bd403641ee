import Foundation
import Logging
import TaskWarden
import TaskWardenTestSupport
import Testing

@Suite("Run lifecycle")
struct RunLifecycleTests {
    @Test("start, heartbeat, cancel request, finish; a finished run cannot be started again", arguments: TestBackend.allCases)
    func lifecycle(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, worker: "worker-a")
        let id = try #require(try fixture.queued(1).first)
        let ticket = try lifecycle.start(id)
        #expect(try fixture.status(id) == "running")
        #expect(ticket.attempt == 1)
        try lifecycle.heartbeat(ticket, progress: 40)
        #expect(try fixture.admin.queryFirst("SELECT progress, worker FROM task_runs")?.decode(Double.self, "progress") == 40)
        #expect(try !lifecycle.isCancelRequested(ticket))
        let cancel = try TaskRuns(connection: fixture.admin, actor: "tester").requestCancel(ids: [String(Int64.fromDatabaseValue(id)!)], reason: "stop please")
        #expect(cancel.changed.count == 1)
        #expect(try lifecycle.isCancelRequested(ticket))
        try lifecycle.finish(ticket, .cancelled(reason: "asked to stop"))
        #expect(try fixture.status(id) == "cancelled")
        #expect(throws: RunLost.self) { try lifecycle.start(id) }
        #expect(try fixture.admin.queryValue(String.self, "SELECT operation FROM task_run_events") == "cancel")
    }

    @Test("after recover or reset took the run, heartbeat and finish report it lost", arguments: TestBackend.allCases)
    func lostRun(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, worker: "worker-b")
        let id = try #require(try fixture.queued(1).first)
        let ticket = try lifecycle.start(id)
        _ = try TaskRuns(connection: fixture.admin).reset(ResetFilter(statuses: [.running]), to: .failed, reason: "operator")
        let lost = try #require(throws: RunLost.self) { try lifecycle.finish(ticket, .succeeded(message: nil)) }
        #expect(lost.currentStatus == "failed")
        #expect(lost.during == .finish)
        #expect(throws: RunLost.self) { try lifecycle.heartbeat(ticket) }
        #expect(try fixture.status(id) == "failed")
    }

    @Test("finish is safe to repeat: a second call after success is recognised, not an error", arguments: [TestBackend.sqlite, .postgresql])
    func finishTwice(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool)
        let id = try #require(try fixture.queued(1).first)
        let ticket = try lifecycle.start(id)
        try lifecycle.finish(ticket, .succeeded(message: "published"))
        try lifecycle.finish(ticket, .succeeded(message: "published"))
        #expect(throws: RunLost.self) { try lifecycle.finish(ticket, .failed(error: "late")) }
        #expect(try fixture.admin.queryValue(String.self, "SELECT message FROM task_runs") == "published")
    }

    @Test("a mapped table without a heartbeat column says so")
    func noHeartbeatColumn() throws {
        let fixture = try WorkerFixture(.sqlite)
        defer { fixture.close() }
        try fixture.admin.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, began TEXT)", [])
        try fixture.admin.execute("INSERT INTO jobs (state) VALUES ('queued')", [])
        let table = try TaskTable(name: SQLIdentifier("jobs"), columns: [.id: SQLIdentifier("id"), .status: SQLIdentifier("state"), .startedAt: SQLIdentifier("began")])
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, table: table)
        let ticket = try lifecycle.start(.integer(1))
        let error = try #require(throws: LifecycleError.self) { try lifecycle.heartbeat(ticket) }
        #expect(error.description.contains("no heartbeat column"))
        try lifecycle.finish(ticket, .succeeded(message: nil))
        #expect(try fixture.admin.queryValue(String.self, "SELECT state FROM jobs") == "succeeded")
    }

    @Test("the async run helper heartbeats, and finishes as succeeded, failed or cancelled", arguments: [TestBackend.sqlite, .mysql])
    func runHelper(backend: TestBackend) async throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool)
        let ids = try fixture.queued(3)
        let observer = fixture.database.urlString
        let value = try await lifecycle.run(ids[0], heartbeatEvery: .milliseconds(100)) { context in
            // Work until a background heartbeat has landed (bounded, so a missing one fails).
            let db = try DatabaseDrivers.connect(observer)
            defer { db.close() }
            let p = db.dialect.placeholder
            for _ in 0..<200 {
                let row = try db.queryFirst("SELECT heartbeat_at, started_at FROM task_runs WHERE id = \(p(1))", [context.ticket.id])
                if let row, try row.decode(Timestamp.self, "heartbeat_at") > row.decode(Timestamp.self, "started_at") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await context.checkCancellation()
            return 42
        }
        #expect(value == 42)
        #expect(try fixture.status(ids[0]) == "succeeded")
        #expect(try fixture.admin.queryFirst("SELECT heartbeat_at, started_at FROM task_runs WHERE id = \(fixture.admin.dialect.placeholder(1))", [ids[0]])
            .map { try $0.decode(Timestamp.self, "heartbeat_at") > $0.decode(Timestamp.self, "started_at") } == true, "no background heartbeat landed within 10 s")

        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await lifecycle.run(ids[1]) { _ in throw Boom() } }
        #expect(try fixture.status(ids[1]) == "failed")

        let url = fixture.database.urlString
        await #expect(throws: RunCancelled.self) {
            try await lifecycle.run(ids[2]) { context in
                let operator_ = try DatabaseDrivers.connect(url)
                defer { operator_.close() }
                _ = try TaskRuns(connection: operator_).requestCancel(ids: [String(Int64.fromDatabaseValue(context.ticket.id)!)], reason: "operator")
                try await context.checkCancellation()
            }
        }
        #expect(try fixture.status(ids[2]) == "cancelled")
    }
}

/// The run helper's heartbeat watches the run while the work goes on.
@Suite("Run helper: lost runs")
struct RunHelperLostRunTests {
    @Test("a run taken away meanwhile cancels its work, and run throws RunLost", .timeLimit(.minutes(10)), arguments: TestBackend.allCases)
    func lostRunCancelsWork(backend: TestBackend) async throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, worker: "w")
        let id = try #require(try fixture.queued(1).first)
        let url = fixture.database.urlString
        let sawCancellation = Flag()
        let start = ContinuousClock.now
        let lost = await #expect(throws: RunLost.self) {
            try await lifecycle.run(id, heartbeatEvery: .milliseconds(100)) { _ in
                let operator_ = try DatabaseDrivers.connect(url)
                defer { operator_.close() }
                _ = try TaskRuns(connection: operator_).reset(ResetFilter(statuses: [.running]), to: .failed, reason: "operator")
                do {
                    // Work that would run on for an hour: only cancellation ends it in time.
                    try await Task.sleep(for: .seconds(3_600))
                } catch is CancellationError {
                    sawCancellation.set()
                    throw CancellationError()
                }
            }
        }
        #expect(sawCancellation.isSet, "the work was not cancelled")
        // Not a tight bound: the full suite keeps the cooperative pool busy for minutes.
        #expect(ContinuousClock.now - start < .seconds(600))
        #expect(lost?.during == .heartbeat)
        #expect(lost?.currentStatus == "failed")
        #expect(try fixture.status(id) == "failed")
    }

    @Test("when finish fails after the work failed, the work's error is thrown and the finish failure logged", arguments: TestBackend.allCases)
    func finishFailureDoesNotHideWorkError(backend: TestBackend) async throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let records = LogRecords()
        let lifecycle = RunLifecycle(database: pool, worker: "w", logger: .recording(into: records))
        let id = try #require(try fixture.queued(1).first)
        let url = fixture.database.urlString
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await lifecycle.run(id, heartbeatEvery: .seconds(60)) { _ in
                let operator_ = try DatabaseDrivers.connect(url)
                defer { operator_.close() }
                _ = try TaskRuns(connection: operator_).reset(ResetFilter(statuses: [.running]), to: .cancelled, reason: "operator")
                throw Boom()  // finish(.failed) then finds the run taken away: RunLost.
            }
        }
        #expect(try fixture.status(id) == "cancelled")
        #expect(records.messages.contains { $0.contains("final status did not land") }, "\(records.messages)")
    }
}

/// Set once, read from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// `start` is claimed by the call that made it, never by a name.
@Suite("Run start claims")
struct RunStartClaimTests {
    @Test("a second start of a running run fails, under the same worker name and on a table without a worker column", arguments: TestBackend.allCases)
    func secondStartFails(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let ids = try fixture.queued(2)
        let first = RunLifecycle(database: pool, worker: "same-name")
        let second = RunLifecycle(database: pool, worker: "same-name")
        let ticket = try first.start(ids[0])
        #expect(throws: RunLost.self) { try second.start(ids[0]) }
        #expect(throws: RunLost.self) { try first.start(ids[0]) }
        try first.finish(ticket, .succeeded(message: nil))

        let noWorker = try TaskTable(
            name: SQLIdentifier("task_runs"),
            columns: [.id: SQLIdentifier("id"), .status: SQLIdentifier("status"), .startedAt: SQLIdentifier("started_at")])
        let a = RunLifecycle(database: pool, table: noWorker, worker: "a")
        let b = RunLifecycle(database: pool, table: noWorker, worker: "b")
        _ = try a.start(ids[1])
        let lost = try #require(throws: RunLost.self) { try b.start(ids[1]) }
        #expect(lost.currentStatus == "running")
    }

    /// A pool whose first COMMIT, through any of its connections, is cut off: the session is
    /// killed just before COMMIT reaches the server.
    private func poolCuttingFirstCommit(_ fixture: WorkerFixture, fuse: Fuse) throws -> ConnectionPool {
        let url = try fixture.database.url
        return ConnectionPool(url: url) { url in
            let connection = try DatabaseDrivers.connect(url)
            return KilledAtCommit(connection, fuse: fuse, kill: { try killSession(of: connection, url: url) })
        }
    }

    @Test("a start whose COMMIT is cut off reads its token back and starts: the run is this call's", arguments: [TestBackend.postgresql, .mysql])
    func lostCommitResolvedByToken(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let id = try #require(try fixture.queued(1).first)
        let fuse = Fuse()
        let pool = try poolCuttingFirstCommit(fixture, fuse: fuse)
        defer { pool.close() }
        let ticket = try RunLifecycle(database: pool, worker: "w").start(id)
        #expect(fuse.blown)
        #expect(try fixture.status(id) == "running")
        // The ticket is the one the table holds: heartbeat and finish match it.
        try RunLifecycle(database: pool, worker: "w").finish(ticket, .succeeded())
        #expect(try fixture.status(id) == "succeeded")
    }

    @Test("without a start_token column, a start whose COMMIT is cut off reports CommitOutcomeUnknown", arguments: [TestBackend.postgresql, .mysql])
    func lostCommit(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let id = try #require(try fixture.queued(1).first)
        let fuse = Fuse()
        let pool = try poolCuttingFirstCommit(fixture, fuse: fuse)
        defer { pool.close() }
        var columns = TaskTable.taskRuns.columns
        columns[.startToken] = nil
        let table = try TaskTable(name: TaskTable.taskRuns.name, columns: columns)
        let lifecycle = RunLifecycle(database: pool, table: table, worker: "w")
        #expect(throws: CommitOutcomeUnknown.self) { try lifecycle.start(id) }
        #expect(fuse.blown)
        // The session died before COMMIT reached it: nothing committed, and nothing retried it.
        #expect(try fixture.status(id) == "queued")
    }
}

/// Blows once: the first COMMIT through any connection of a pool is the one cut off.
final class Fuse: @unchecked Sendable {
    private let lock = NSLock()
    private var isBlown = false
    var blown: Bool { lock.withLock { isBlown } }
    /// `true` the first time only.
    func blow() -> Bool { lock.withLock { defer { isBlown = true }; return !isBlown } }
}

/// Ends a real connection's server session (from another session) just before it sends COMMIT.
func killSession(of connection: any DatabaseConnection, url: DatabaseURL) throws {
    let id: Int64 = try connection.queryValue(Int64.self, connection.backend == .postgresql ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")
    let admin = try DatabaseDrivers.connect(url)
    defer { admin.close() }
    switch connection.backend {
    case .postgresql:
        // With a timeout, pg_terminate_backend waits until the session has ended.
        _ = try admin.query("SELECT pg_terminate_backend(CAST($1 AS integer), 5000)", [.integer(id)])
    case .mysql:
        try admin.execute("KILL CONNECTION \(id)", [])
        let deadline = ContinuousClock.now + .seconds(5)
        while try admin.queryValue(Int.self, "SELECT COUNT(*) FROM information_schema.processlist WHERE id = ?", [.integer(id)]) > 0,
            ContinuousClock.now < deadline
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
    case .sqlite:
        break
    }
}

/// A real connection whose session is ended by the server just before its first COMMIT.
final class KilledAtCommit: DatabaseConnection {
    let inner: any DatabaseConnection
    let fuse: Fuse
    let kill: () throws -> Void

    init(_ inner: any DatabaseConnection, fuse: Fuse, kill: @escaping () throws -> Void) {
        self.inner = inner
        self.fuse = fuse
        self.kill = kill
    }

    var url: DatabaseURL { inner.url }
    var dialect: SQLDialect { inner.dialect }
    var serverVersion: String { inner.serverVersion }
    var isClosed: Bool { inner.isClosed }
    func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int {
        if sql == "COMMIT" && fuse.blow() { try kill() }
        return try inner.execute(sql, parameters)
    }
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] { try inner.query(sql, parameters) }
    func ping() throws { try inner.ping() }
    func close() { inner.close() }
}

/// What an application can do with the public API alone, as the docs show it.
@Suite("Worker API")
struct WorkerAPITests {
    @Test("from async code: start, heartbeat, finish one by one; the application's own RunCancelled cancels a run", arguments: TestBackend.allCases)
    func asyncSteps(backend: TestBackend) async throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, worker: "async")
        let ids = try fixture.queued(2)
        let ticket = try await lifecycle.start(ids[0])
        try await lifecycle.heartbeat(ticket, progress: 10)
        #expect(try await !lifecycle.isCancelRequested(ticket))
        try await lifecycle.finish(ticket, .succeeded(message: "done"))
        #expect(try fixture.status(ids[0]) == "succeeded")

        await #expect(throws: RunCancelled.self) {
            try await lifecycle.run(ids[1]) { _ in throw RunCancelled() }  // A shutdown of the application's own.
        }
        #expect(try fixture.status(ids[1]) == "cancelled")
    }

    @Test("DatabaseDrivers.pool takes the application's logger: retries are reported there", arguments: [TestBackend.postgresql, .mysql])
    func poolLogger(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let records = LogRecords()
        let logger = Logger.recording(into: records, label: "app")
        let pool = DatabaseDrivers.pool(try fixture.database.url, logger: logger)
        defer { pool.close() }
        _ = try pool.withConnection { db in try db.query("SELECT 1", []) }
        #expect(try fixture.killOtherSessions() >= 1)
        _ = try pool.withConnection { db in try db.query("SELECT 1", []) }
        #expect(records.messages.contains("retrying database work"), "\(records.messages)")
    }
}
