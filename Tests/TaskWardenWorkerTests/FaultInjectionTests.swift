import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The final status of a run lands, whatever happens to the connections in between.
@Suite("Fault injection")
struct FaultInjectionTests {
    @Test("seed 002 on MySQL: wait_timeout = 2, three seconds of work, the final status still lands")
    func seed002WaitTimeout() throws {
        let fixture = try WorkerFixture(.mysql)
        defer { fixture.close() }
        var options = ConnectionPool.Options()
        options.idleCheckAfter = .seconds(1)
        let pool = try fixture.pool(parameters: "wait_timeout=2", options: options)
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool, worker: "publisher")
        let id = try #require(try fixture.queued(1).first)

        // The incident: one connection held across the work loses the final update.
        let held = try DatabaseDrivers.connect(try DatabaseURL(parsing: fixture.database.urlString + "?wait_timeout=2"))
        defer { held.close() }
        _ = try held.query("SELECT 1", [])
        Thread.sleep(forTimeInterval: 3)
        let lost = try #require(throws: DatabaseError.self) { try held.execute("UPDATE task_runs SET status = 'succeeded' WHERE id = ?", [id]) }
        #expect(lost.category == .connectionLost, "\(lost)")

        // The fix: three short sessions.
        let ticket = try lifecycle.start(id)
        Thread.sleep(forTimeInterval: 3)
        try lifecycle.finish(ticket, .succeeded(message: "published"))
        #expect(try fixture.status(id) == "succeeded")
    }

    @Test("the session is killed before a heartbeat and before finish: the helpers reconnect and succeed", arguments: [TestBackend.postgresql, .mysql])
    func killedSessions(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool)
        let id = try #require(try fixture.queued(1).first)
        let ticket = try lifecycle.start(id)
        #expect(try fixture.killOtherSessions() >= 1)
        try lifecycle.heartbeat(ticket, progress: 50)
        #expect(try fixture.killOtherSessions() >= 1)
        try lifecycle.finish(ticket, .succeeded(message: nil))
        #expect(try fixture.status(id) == "succeeded")
    }

    /// The server's network path is cut (a proxy stops listening and drops every connection)
    /// and restored: the test servers are shared by tests running in parallel, so the outage is
    /// made between client and server rather than by stopping the server itself.
    @Test("the server goes away while a transaction is retried: it recovers when the server is back, or gives up in time", arguments: [TestBackend.postgresql, .mysql])
    func serverOutage(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let direct = try fixture.database.url
        let proxy = try TCPProxy(targetPort: try #require(direct.port))
        var components = try #require(URLComponents(string: fixture.database.urlString))
        components.port = proxy.port
        components.query = "connect_timeout=2"
        let pool = DatabaseDrivers.pool(try DatabaseURL(parsing: try #require(components.string)))
        defer { pool.close() }
        let id = try #require(try fixture.queued(1).first)
        _ = try pool.withConnection { db in try db.query("SELECT 1", []) }

        proxy.stop()
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { try? proxy.start() }
        let clock = ContinuousClock()
        let start = clock.now
        let policy = RetryPolicy(maxAttempts: 50, maxTotalTime: .seconds(20), initialDelay: .milliseconds(100), maxDelay: .milliseconds(500))
        try pool.withTransaction(retry: policy) { db in
            try db.execute("UPDATE task_runs SET status = 'running' WHERE id = \(db.dialect.placeholder(1))", [id])
        }
        #expect(clock.now - start >= .milliseconds(1_500))
        #expect(try fixture.status(id) == "running")

        proxy.stop()
        defer { try? proxy.start() }
        let giveUp = clock.now
        let quick = RetryPolicy(maxAttempts: 100, maxTotalTime: .seconds(2), initialDelay: .milliseconds(100), maxDelay: .milliseconds(300))
        let error = try #require(throws: DatabaseError.self) {
            try pool.withTransaction(retry: quick) { db in
                try db.execute("UPDATE task_runs SET status = 'failed' WHERE id = \(db.dialect.placeholder(1))", [id])
            }
        }
        #expect(error.category == .connectionLost)
        #expect(clock.now - giveUp < .seconds(10))
        #expect(try fixture.status(id) == "running")
    }

    @Test("SQLite: another connection holds the write lock; the helper waits within its busy timeout and succeeds")
    func sqliteBusy() throws {
        let fixture = try WorkerFixture(.sqlite)
        defer { fixture.close() }
        let pool = try fixture.pool()
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool)
        let id = try #require(try fixture.queued(1).first)
        let ticket = try lifecycle.start(id)
        let url = fixture.database.urlString
        let locked = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            guard let holder = try? DatabaseDrivers.connect(url) else {
                locked.signal()
                return
            }
            defer { holder.close() }
            _ = try? holder.execute("BEGIN IMMEDIATE", [])
            locked.signal()
            Thread.sleep(forTimeInterval: 1)
            _ = try? holder.execute("COMMIT", [])
        }
        locked.wait()
        let clock = ContinuousClock()
        let start = clock.now
        try lifecycle.finish(ticket, .succeeded(message: nil))
        #expect(clock.now - start >= .milliseconds(800))
        #expect(try fixture.status(id) == "succeeded")
    }

    @Test("sessions killed every 3-10 ms, also while they are set up: every finish lands with the default retry policy", arguments: [TestBackend.postgresql, .mysql])
    func finishesUnderRapidKills(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let ids = try fixture.queued(160).map { Int64.fromDatabaseValue($0)! }
        // Few idle connections kept: most finishes connect anew, so sessions are killed while
        // they are set up too, as in the incident.
        let pool = try fixture.pool(options: { var options = ConnectionPool.Options(); options.maxIdle = 2; return options }())
        defer { pool.close() }
        let lifecycle = RunLifecycle(database: pool)  // The default policy is what is under test.
        #expect(lifecycle.retry.maxTotalTime == .seconds(60))
        let tickets = try ids.map { try lifecycle.start(.integer($0)) }
        let ledger = Ledger()
        let url = fixture.database.urlString
        let spared = try fixture.sessionID()
        let killer = Thread {
            guard let killer = try? DatabaseDrivers.connect(url) else { return }
            defer { killer.close() }
            let sparedToo = (try? killer.queryValue(Int64.self, backend == .postgresql ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) ?? 0
            while !ledger.isStopped {
                Thread.sleep(forTimeInterval: Double.random(in: 0.003...0.010))
                switch backend {
                case .postgresql:
                    // Any session of this database, including one still running its session setup.
                    let killed = (try? killer.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN ($1, $2) ORDER BY random() LIMIT 1",
                        [.integer(spared), .integer(sparedToo)]).count) ?? 0
                    ledger.fault(killed)
                case .mysql:
                    if let id = try? killer.queryFirst(
                        "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id NOT IN (?, ?) ORDER BY RAND() LIMIT 1",
                        [.integer(spared), .integer(sparedToo)])?.decode(Int64.self, "id") {
                        _ = try? killer.execute("KILL CONNECTION \(id)", [])
                        ledger.fault(1)
                    }
                case .sqlite:
                    return
                }
            }
        }
        killer.start()
        let done = DispatchGroup()
        for worker in 0..<8 {
            done.enter()
            DispatchQueue.global().async {
                defer { done.leave() }
                for (index, ticket) in tickets.enumerated() where index % 8 == worker {
                    // Paced by the killer: on a loaded machine it falls behind, and finishes
                    // racing ahead of it would meet too few kills to mean anything.
                    ledger.waitForFaults(index / 16 + 1, timeout: 5)
                    do {
                        try lifecycle.finish(ticket, .succeeded(message: "done"))
                    } catch {
                        ledger.fail("run \(ticket.id): \(error)")
                    }
                }
            }
        }
        done.wait()
        ledger.stop()
        #expect(ledger.failures.isEmpty, "\(ledger.failures.count) finish(es) gave up: \(ledger.failures.prefix(3))")
        #expect(ledger.faults >= 10, "too few faults to mean anything: \(ledger.faults)")
        for id in ids { #expect(try fixture.status(.integer(id)) == "succeeded") }
        print("rapid kills on \(backend): \(ledger.faults) sessions killed during \(ids.count) finishes")
    }

    /// What the workers decided and saw, guarded by a lock.
    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var decided: [Int64: String] = [:]
        private(set) var finishes: [Int64: Int] = [:]
        private(set) var failures: [String] = []
        private(set) var faults = 0
        /// Runs whose start lost its COMMIT: whether they started is unknown, so nobody works them.
        private(set) var unknownStarts: Set<Int64> = []
        func unknownStart(_ id: Int64) { lock.withLock { _ = unknownStarts.insert(id) } }
        private var stopped = false
        var isStopped: Bool { lock.withLock { stopped } }
        func stop() { lock.withLock { stopped = true } }
        func decide(_ id: Int64, _ status: String) { lock.withLock { decided[id] = status } }
        func finished(_ id: Int64) { lock.withLock { finishes[id, default: 0] += 1 } }
        func fail(_ message: String) { lock.withLock { failures.append(message) } }
        func fault(_ count: Int) { lock.withLock { faults += count } }

        /// Waits until `count` faults were injected, or `timeout` seconds passed.
        func waitForFaults(_ count: Int, timeout: Double) {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while lock.withLock({ faults }) < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        }
    }

    @Test("16 workers finish hundreds of runs while faults hit at random: every run ends as its worker decided", arguments: TestBackend.allCases)
    func chaos(backend: TestBackend) throws {
        let fixture = try WorkerFixture(backend)
        defer { fixture.close() }
        let ids = try fixture.queued(320).map { Int64.fromDatabaseValue($0)! }
        let pool = try fixture.pool(options: { var options = ConnectionPool.Options(); options.maxIdle = 16; return options }())
        defer { pool.close() }
        let policy = RetryPolicy(maxAttempts: 20, maxTotalTime: .seconds(60), initialDelay: .milliseconds(5), maxDelay: .milliseconds(200))
        let lifecycle = RunLifecycle(database: pool, retry: policy)
        let ledger = Ledger()
        let done = DispatchGroup()
        let url = fixture.database.urlString
        let spared = try fixture.sessionID()
        let chaosThread = Thread {
            guard let killer = try? DatabaseDrivers.connect(url) else { return }
            defer { killer.close() }
            while !ledger.isStopped {
                Thread.sleep(forTimeInterval: 0.03)
                switch backend {
                case .postgresql:
                    let killed = (try? killer.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1 ORDER BY random() LIMIT 1", [.integer(spared)]).count) ?? 0
                    ledger.fault(killed)
                case .mysql:
                    if let id = try? killer.queryFirst(
                        "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND id <> ? ORDER BY RAND() LIMIT 1", [.integer(spared)])?.decode(Int64.self, "id") {
                        _ = try? killer.execute("KILL CONNECTION \(id)", [])
                        ledger.fault(1)
                    }
                case .sqlite:
                    // SQLite's fault is contention: hold the write lock for a moment.
                    if (try? killer.execute("BEGIN IMMEDIATE", [])) != nil {
                        Thread.sleep(forTimeInterval: 0.02)
                        _ = try? killer.execute("COMMIT", [])
                        ledger.fault(1)
                    }
                }
            }
        }
        chaosThread.start()
        for worker in 0..<16 {
            done.enter()
            DispatchQueue.global().async {
                defer { done.leave() }
                for (index, id) in ids.enumerated() where index % 16 == worker {
                    do {
                        let ticket: RunTicket
                        do {
                            ticket = try lifecycle.start(.integer(id))
                        } catch is CommitOutcomeUnknown {
                            ledger.unknownStart(id)  // As documented: do not work on it.
                            continue
                        }
                        try lifecycle.heartbeat(ticket, progress: 50)
                        let outcome: RunOutcome = id % 3 == 0 ? .failed(error: "bad input \(id)") : .succeeded(message: "ok")
                        ledger.decide(id, outcome.status.rawValue)
                        try lifecycle.finish(ticket, outcome)
                        ledger.finished(id)
                    } catch {
                        ledger.fail("run \(id): \(error)")
                    }
                }
            }
        }
        done.wait()
        ledger.stop()

        #expect(ledger.failures.isEmpty, "\(ledger.failures.prefix(5))")
        var counts: [String: Int] = [:]
        for id in ids {
            let status = try fixture.status(.integer(id))
            counts[status, default: 0] += 1
            if ledger.unknownStarts.contains(id) {
                #expect(status == "queued" || status == "running", "run \(id) had an unknown start and is \(status)")
                continue
            }
            #expect(status == ledger.decided[id], "run \(id) is \(status), its worker decided \(ledger.decided[id] ?? "nothing")")
            #expect(ledger.finishes[id] == 1)
        }
        #expect((counts["running"] ?? 0) + (counts["queued"] ?? 0) == ledger.unknownStarts.count)
        // task_runs keeps a start token, so a start whose COMMIT was lost resolves its own outcome.
        #expect(ledger.unknownStarts.isEmpty, "starts left with an unknown outcome: \(ledger.unknownStarts.count)")
        print("chaos on \(backend): \(counts), faults injected \(ledger.faults), starts with an unknown outcome \(ledger.unknownStarts.count)")
    }
}
