import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// TaskWarden through PgBouncer in transaction pooling mode (`scripts/ha/pgbouncer.sh`).
///
/// Behind a transaction pooler each transaction may run on another server session, and a
/// session's locks and settings stay with the server session, handed to the next client. These
/// tests run every command and the worker helpers through PgBouncer and check the results on
/// the server directly.
@Suite("Behind PgBouncer (transaction pooling)")
struct PgBouncerTests {
    let taskwarden: CommandRunner
    let serverURL: String
    let bouncerURL: String

    init() throws {
        taskwarden = try CommandRunner()
        serverURL = try HATopology.required(TestBackend.postgresURLVariable)
        bouncerURL = try HATopology.required("TASKWARDEN_TEST_PGBOUNCER_URL")
    }

    /// A new database, migrated by `taskwarden migrate` through PgBouncer.
    private func migrated() throws -> HADatabase {
        let database = try HADatabase.create(adminURL: serverURL, topologyURL: bouncerURL)
        let outcome = try taskwarden.run(["migrate", "--database", database.urlString])
        guard outcome.status == 0 else {
            database.drop()
            throw SetupFailed(what: "taskwarden migrate", output: outcome.allOutput)
        }
        return database
    }

    @Test("the driver sees the pooler, and a direct session as direct")
    func relayDetected() throws {
        let pooled = try DatabaseDrivers.connect(try DatabaseURL(parsing: bouncerURL))
        defer { pooled.close() }
        let direct = try DatabaseDrivers.connect(try DatabaseURL(parsing: serverURL))
        defer { direct.close() }
        #expect(pooled.isRelayed)
        #expect(!direct.isRelayed)
        #expect(try DatabaseLockMode.auto.resolved(for: pooled) == .lease)
        #expect(try DatabaseLockMode.auto.resolved(for: direct) == .session)
    }

    @Test("URL timeouts hold in every transaction and never leak to another client's transactions; the session's UTC does")
    func settingsPerTransaction() async throws {
        try await onOwnThread {
            let separator = bouncerURL.contains("?") ? "&" : "?"
            let withTimeouts = try DatabaseDrivers.connect(
                try DatabaseURL(parsing: bouncerURL + separator + "statement_timeout=4321&lock_timeout=1234"))
            defer { withTimeouts.close() }
            let plain = try DatabaseDrivers.connect(try DatabaseURL(parsing: bouncerURL))
            defer { plain.close() }
            var backends: Set<Int64> = []
            // A third client holds a server session open in a transaction half of the time, so
            // that the two above are handed different server sessions.
            let holder = try DatabaseDrivers.connect(try DatabaseURL(parsing: bouncerURL))
            defer { holder.close() }
            for round in 0..<40 {
                if round % 2 == 0 {
                    try holder.execute("BEGIN", [])
                    _ = try holder.query("SELECT pg_backend_pid()", [])
                }
                try withTimeouts.inTransaction { db in
                    #expect(try db.queryValue(String.self, "SHOW statement_timeout") == "4321ms")
                    #expect(try db.queryValue(String.self, "SHOW lock_timeout") == "1234ms")
                    #expect(try db.queryValue(String.self, "SHOW TimeZone") == "UTC")
                    backends.insert(try db.queryValue(Int64.self, "SELECT pg_backend_pid()"))
                }
                // Another client, interleaved: it gets the server sessions the first one used.
                let leaked = try plain.inTransaction { db in
                    [try db.queryValue(String.self, "SHOW statement_timeout"), try db.queryValue(String.self, "SHOW lock_timeout")]
                }
                #expect(leaked == ["0", "0"])
                #expect(try plain.queryValue(String.self, "SHOW TimeZone") == "UTC")
                if round % 2 == 0 { try holder.execute("COMMIT", []) }
            }
            print("pgbouncer: 40 transactions with URL timeouts ran on \(backends.count) server session(s); none leaked")
        }
    }

    @Test("migrate from 6 processes at once through the pooler: auto takes the lease, each version applied once")
    func concurrentMigrate() async throws {
        let database = try HADatabase.create(adminURL: serverURL, topologyURL: bouncerURL)
        defer { database.drop() }
        try await onOwnThread {
            let processes = try (0..<6).map { _ in
                try taskwarden.start(["migrate", "--database", database.urlString, "--log-level", "info", "--lock-timeout", "60s"])
            }
            let outcomes = try processes.map { try $0.wait(exitingWithin: .seconds(90)) }
            for outcome in outcomes { #expect(outcome.status == 0, "\(outcome.allOutput)") }
            let said = outcomes.map(\.allOutput).joined()
            #expect(said.contains("lease"), "\(said.prefix(2_000))")
            #expect(!said.contains("tw-test-pw"))
            let db = try DatabaseDrivers.connect(try DatabaseURL(parsing: database.url(through: serverURL)))
            defer { db.close() }
            let versions = try db.query("SELECT version, COUNT(*) AS n FROM taskwarden_schema_migrations GROUP BY version", [])
            #expect(!versions.isEmpty && versions.allSatisfy { (try? $0.decode(Int.self, "n")) == 1 }, "\(versions)")
            #expect(try db.queryValue(Bool.self, "SELECT to_regclass('taskwarden_locks') IS NOT NULL"))
            // No advisory lock left behind on a server session. Counted in this test's database only:
            // the session-mode test beside it may leave one on a pooled session, which is what it warns about.
            #expect(try db.queryValue(Int.self, """
                SELECT COUNT(*) FROM pg_locks
                WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """) == 0)
            let status = try taskwarden.run(["migrate", "status", "--exit-code", "--database", database.urlString])
            #expect(status.status == 0, "\(status.allOutput)")
            print("pgbouncer: 6 concurrent migrate processes, \(versions.count) versions, each applied once")
        }
    }

    @Test("--lock-mode session through the pooler is warned about")
    func sessionModeWarned() throws {
        let database = try HADatabase.create(adminURL: serverURL, topologyURL: bouncerURL)
        defer { database.drop() }
        let outcome = try taskwarden.run(["migrate", "--lock-mode", "session", "--database", database.urlString])
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardError.contains("use the lease lock mode"), "\(outcome.standardError)")
    }

    @Test("purge --export, reset, journal and undo through the pooler: every row once")
    func maintenanceCommands() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let db = try database.connect()
            defer { db.close() }
            try insertRuns(600, status: "succeeded", into: db)
            try insertRuns(300, status: "running", into: db)
            let url = ["--database", database.urlString]
            let file = try TemporaryDirectory.make().appending("purged.jsonl")
            let purge = try taskwarden.run(["purge", "--succeeded-older-than", "30d", "--batch-size", "50", "--export", file] + url)
            #expect(purge.status == 0, "\(purge.allOutput)")
            let ids = try exportedIDs(file)
            #expect(ids.count == 600 && Set(ids).count == 600)

            let reset = try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", "pgbouncer", "--batch-size", "40", "--yes", "--json"] + url)
            #expect(reset.status == 0, "\(reset.allOutput)")
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == 300)
            #expect(try db.queryValue(Int.self, "SELECT COUNT(DISTINCT run_id) FROM task_run_events WHERE operation = 'reset'") == 300)
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE operation = 'reset'") == 300)
            let batch = try db.queryValue(String.self, "SELECT MIN(batch_id) FROM task_run_events WHERE operation = 'reset'")
            let journal = try taskwarden.run(["journal", "--batch", batch] + url)
            #expect(journal.status == 0 && journal.standardOutput.contains("pgbouncer"), "\(journal.allOutput)")
            let undo = try taskwarden.run(["undo", batch] + url)
            #expect(undo.status == 0, "\(undo.allOutput)")
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 300)
            for command in [["stuck"], ["stats"], ["doctor"], ["list", "--status", "running"]] {
                let outcome = try taskwarden.run(command + url)
                #expect([0, 9].contains(outcome.status), "\(command): \(outcome.allOutput)")
            }
            print("pgbouncer: purge exported 600/600 once, reset journaled 300/300 once, undo restored 300")
        }
    }

    @Test("worker helpers through the pooler: 8 workers, 400 runs, server sessions killed meanwhile, every final status lands")
    func workerHelpers() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let admin = try DatabaseDrivers.connect(try DatabaseURL(parsing: database.url(through: serverURL)))
            defer { admin.close() }
            try admin.execute("INSERT INTO task_runs (kind, status, max_attempts) SELECT 'job', 'queued', 3 FROM generate_series(1, 400)", [])
            let ids = try admin.query("SELECT id FROM task_runs ORDER BY id", []).map { try $0.decode(Int64.self, "id") }
            let pool = DatabaseDrivers.pool(try database.url)
            defer { pool.close() }
            let lifecycle = RunLifecycle(database: pool)
            let counter = Counter()
            let killerURL = database.url(through: serverURL)
            let spared = try admin.queryValue(Int64.self, "SELECT pg_backend_pid()")
            let killer = Thread {
                // PgBouncer's server sessions killed on the server, as a restart or a network would.
                guard let admin = try? DatabaseDrivers.connect(try DatabaseURL(parsing: killerURL)) else { return }
                defer { admin.close() }
                while !counter.isStopped {
                    Thread.sleep(forTimeInterval: 0.05)
                    let killed = (try? admin.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) ORDER BY random() LIMIT 1",
                        [.integer(spared)]).count) ?? 0
                    counter.add(faults: killed)
                }
            }
            killer.start()
            let done = DispatchGroup()
            for worker in 0..<8 {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    for (index, id) in ids.enumerated() where index % 8 == worker {
                        do {
                            let ticket = try lifecycle.start(.integer(id))
                            try lifecycle.heartbeat(ticket)
                            try lifecycle.finish(ticket, .succeeded(message: "through pgbouncer"))
                        } catch {
                            counter.fail("run \(id): \(error)")
                        }
                    }
                }
            }
            #expect(done.wait(timeout: .now() + 240) == .success, "workers did not finish within 240 s")
            counter.stop()
            #expect(counter.failures.isEmpty, "\(counter.failures.count) failed: \(counter.failures.prefix(3))")
            let landed = try admin.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'")
            let doubled = try admin.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE attempt > 1")
            #expect(landed == 400)
            #expect(doubled == 0)
            print("pgbouncer: worker helpers, 400 runs x (start, heartbeat, finish), \(counter.faults) server sessions killed, lost \(400 - landed), doubled \(doubled)")
        }
    }

    @Test("two watch daemons through the pooler: one leader acts, the other takes over when it dies")
    func watchLeader() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let db = try DatabaseDrivers.connect(try DatabaseURL(parsing: database.url(through: serverURL)))
            defer { db.close() }
            let watch = { (name: String) in
                try taskwarden.start([
                    "watch", "--every", "1s", "--lease", "3s", "--stuck-after", "10m", "--actor", name, "--database", database.urlString,
                ])
            }
            let recovered = { try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") }
            try insertRuns(5, status: "running", into: db)
            let first = try watch("first")
            defer { first.send(SIGKILL) }
            try waitUntil(seconds: 30, "the first watcher recovers") { try recovered() == 5 }
            let second = try watch("second")
            defer { second.send(SIGKILL) }
            Thread.sleep(forTimeInterval: 2)
            try insertRuns(5, status: "running", into: db)
            try waitUntil(seconds: 30, "the leader recovers the next five") { try recovered() == 10 }
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 0)
            first.send(SIGKILL)
            try insertRuns(5, status: "running", into: db)
            try waitUntil(seconds: 30, "the second watcher takes over") { try recovered() == 15 }
            let perRun = try db.query("SELECT run_id, COUNT(*) AS n FROM task_run_events GROUP BY run_id", [])
            #expect(perRun.count == 15 && perRun.allSatisfy { (try? $0.decode(Int.self, "n")) == 1 })
            second.send(SIGTERM)
            #expect(try second.wait(exitingWithin: .seconds(30)).status == 0)
        }
    }
}

/// Counts what concurrent workers saw, guarded by a lock.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private(set) var faults = 0
    private(set) var failures: [String] = []
    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
    func add(faults count: Int) { lock.withLock { faults += count } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }
}
