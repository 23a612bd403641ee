import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden watch` as replicas run it: several processes on one database.
@Suite("taskwarden watch")
struct WatchCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("SIGTERM between two cycles stops watch at once, not when its interval is over", arguments: [TestBackend.sqlite])
    func stopsBetweenCycles(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let watcher = try taskwarden.start(["watch", "--every", "1h", "--log-level", "info", "--database", fixture.urlString])
        defer { watcher.send(SIGKILL) }
        try waitUntil(seconds: 30, "the first cycle") {
            // The lease table is made by the first cycle.
            (try? fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks WHERE name = 'taskwarden.watch:task_runs'")) == 1
        }
        let asked = ContinuousClock.now
        watcher.send(SIGTERM)
        let outcome = try watcher.wait(exitingWithin: .seconds(30))
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(ContinuousClock.now - asked < .seconds(5), "the hour's wait was cut short")
    }

    @Test("three watchers on one database: one leads, each stuck run is recovered exactly once, SIGTERM exits 0 and releases the lease", arguments: TestBackend.allCases)
    func oneLeaderAmongThree(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        try insertStuck(40, into: db)
        let watchers = try (1...3).map { try startWatcher(database, name: "watcher-\($0)") }
        defer { watchers.forEach { $0.send(SIGKILL) } }
        try waitUntil(seconds: 30, "40 runs recovered") { try recovered(in: db) == 40 }
        try insertStuck(20, into: db)
        try waitUntil(seconds: 30, "60 runs recovered") { try recovered(in: db) == 60 }

        let perRun = try db.query("SELECT run_id, COUNT(*) AS n FROM task_run_events GROUP BY run_id", [])
        #expect(perRun.count == 60 && perRun.allSatisfy { (try? $0.decode(Int.self, "n")) == 1 }, "\(perRun)")
        let actors = try db.query("SELECT DISTINCT actor FROM task_run_events", []).map { try $0.decode(String.self, "actor") }
        #expect(actors.count == 1, "\(actors)")

        for watcher in watchers { watcher.send(SIGTERM) }
        for watcher in watchers {
            let outcome = try watcher.wait(exitingWithin: .seconds(30))
            #expect(outcome.status == 0, "\(outcome.allOutput)")
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks WHERE name = 'taskwarden.watch:task_runs'") == 0)
    }

    @Test("when the leader is killed (SIGKILL), another watcher takes over within the lease period", arguments: TestBackend.allCases)
    func takeoverAfterKill(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        let (first, second) = try leaderAndFollower(database, db)
        defer { [first, second].forEach { $0.send(SIGKILL) } }
        Thread.sleep(forTimeInterval: 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 0)

        first.send(SIGKILL)
        let killed = ContinuousClock.now
        try insertStuck(5, into: db)
        try waitUntil(seconds: 30, "the second watcher recovers") { try recovered(in: db) == 10 }
        let handover = ContinuousClock.now - killed
        // The lease (3 s) runs out, then the second watcher's next cycle (1 s) claims it.
        #expect(handover < .seconds(3 + 1 + 4), "took \(handover)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 5)
        second.send(SIGTERM)
        #expect(try second.wait(exitingWithin: .seconds(30)).status == 0)
    }

    @Test("a leader paused (SIGSTOP) past its lease does not act beside the new leader when it resumes", arguments: TestBackend.allCases)
    func pausedLeaderStaysDeposed(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        let (first, second) = try leaderAndFollower(database, db)
        defer { [first, second].forEach { $0.send(SIGKILL) } }

        first.send(SIGSTOP)
        try insertStuck(5, into: db)
        try waitUntil(seconds: 30, "the second watcher takes over") { try recovered(in: db) == 10 }
        first.send(SIGCONT)
        for _ in 0..<3 {
            try insertStuck(5, into: db)
            Thread.sleep(forTimeInterval: 1.5)
        }
        try waitUntil(seconds: 30, "all recovered") { try recovered(in: db) == 25 }

        let perRun = try db.query("SELECT run_id, COUNT(*) AS n FROM task_run_events GROUP BY run_id", [])
        #expect(perRun.count == 25 && perRun.allSatisfy { (try? $0.decode(Int.self, "n")) == 1 }, "\(perRun)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'first'") == 5)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 20)
        for watcher in [first, second] {
            watcher.send(SIGTERM)
            let outcome = try watcher.wait(exitingWithin: .seconds(30))
            #expect(outcome.status == 0, "\(outcome.allOutput)")
        }
    }

    @Test("a leader cut off from the database (through a TCP proxy) is replaced within the lease period, keeps retrying, and still exits 0 on SIGTERM", arguments: [TestBackend.postgresql, .mysql])
    func cutOffLeaderIsReplaced(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        var direct = try #require(URLComponents(string: database.urlString))
        let proxy = try TCPProxy(targetPort: try #require(direct.port))
        defer { proxy.stop() }
        direct.port = proxy.port
        let proxied = try #require(direct.string)

        let (first, second) = try leaderAndFollower(database, db, leaderURL: proxied)
        defer { [first, second].forEach { $0.send(SIGKILL) } }

        proxy.stop()
        let cut = ContinuousClock.now
        try insertStuck(5, into: db)
        try waitUntil(seconds: 30, "the second watcher takes over") { try recovered(in: db) == 10 }
        #expect(ContinuousClock.now - cut < .seconds(3 + 1 + 5))
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE actor = 'second'") == 5)

        first.send(SIGTERM)
        let outcome = try first.wait(exitingWithin: .seconds(30))
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardError.contains("watch cycle failed"), "\(outcome.allOutput)")
        second.send(SIGTERM)
        #expect(try second.wait(exitingWithin: .seconds(30)).status == 0)
    }

    @Test("the database going away during watch (the server cut off, SQLite's file locked by another process) is survived: cycles fail and are logged, then recovery resumes without a restart", arguments: TestBackend.allCases)
    func survivesAnOutage(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        var url = database.urlString
        var proxy: TCPProxy?
        if backend != .sqlite {
            var components = try #require(URLComponents(string: url))
            proxy = try TCPProxy(targetPort: try #require(components.port))
            components.port = proxy?.port
            url = try #require(components.string)
        }
        defer { proxy?.stop() }
        try insertStuck(3, into: db)
        let watcher = try taskwarden.start([
            "watch", "--every", "1s", "--lease", "3s", "--stuck-after", "10m", "--log-level", "info", "--database", url, "--lock-wait", "1s",
        ])
        defer { watcher.send(SIGKILL) }
        try waitUntil(seconds: 30, "the first runs recovered") { try recovered(in: db) == 3 }

        // The outage: PostgreSQL and MariaDB cut off; SQLite's file held by another writer.
        if let proxy {
            proxy.stop()
        } else {
            try db.execute("BEGIN EXCLUSIVE", [])
        }
        Thread.sleep(forTimeInterval: 5)
        if let proxy {
            try proxy.start()
        } else {
            try db.execute("COMMIT", [])
        }
        try insertStuck(4, into: db)
        try waitUntil(seconds: 60, "recovery resumed") { try recovered(in: db) == 7 }
        watcher.send(SIGTERM)
        let outcome = try watcher.wait(exitingWithin: .seconds(30))
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardError.contains("watch cycle failed"), "\(outcome.allOutput)")
    }

    @Test("one process watches two tables (one --config each): each has its own lease and its stuck runs recovered; two configs naming one table are refused", arguments: TestBackend.allCases)
    func twoTables(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        try insertStuck(3, into: db)
        let time = backend == .mysql ? "DATETIME(6)" : "TIMESTAMP"
        try db.execute("CREATE TABLE scans (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at \(time) NULL, finished_at \(time) NULL, error TEXT)", [])
        for run in 1...4 { try db.execute("INSERT INTO scans (id, status, started_at) VALUES ('s-\(run)', 'running', '2020-01-01 00:00:00')", []) }
        let directory = try TemporaryDirectory.make()
        try "table: {name: scans}\nstuck: {older_than: 30m}\n".write(toFile: directory.appending("scans.yaml"), atomically: true, encoding: .utf8)
        try "stuck: {older_than: 30m}\n".write(toFile: directory.appending("runs.yaml"), atomically: true, encoding: .utf8)

        let twice = try taskwarden.run(
            ["watch", "--config", directory.appending("scans.yaml"), "--config", directory.appending("scans.yaml"), "--database", database.urlString])
        #expect(twice.status == 2 && twice.standardError.contains("named by two --config files"), "\(twice.allOutput)")

        let watcher = try taskwarden.start([
            "watch", "--every", "1s", "--lease", "3s", "--config", directory.appending("runs.yaml"), "--config", directory.appending("scans.yaml"),
            "--actor", "both", "--log-level", "info", "--database", database.urlString,
        ])
        defer { watcher.send(SIGKILL) }
        try waitUntil(seconds: 30, "both tables recovered") {
            try recovered(in: db) == 3 && db.queryValue(Int.self, "SELECT COUNT(*) FROM scans WHERE status = 'failed'") == 4
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks WHERE name IN ('taskwarden.watch:task_runs', 'taskwarden.watch:scans')") == 2)
        watcher.send(SIGTERM)
        let outcome = try watcher.wait(exitingWithin: .seconds(30))
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardError.contains("table=scans") && outcome.standardError.contains("table=task_runs"))
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks") == 0)
    }

    // MARK: - Fixture

    private func startWatcher(_ database: IsolatedDatabase, name: String, url: String? = nil) throws -> CommandRunner.RunningCommand {
        try taskwarden.start([
            "watch", "--every", "1s", "--lease", "3s", "--stuck-after", "10m", "--actor", name, "--log-level", "info",
            "--database", url ?? database.urlString,
        ])
    }

    /// Five stuck runs recovered by a first watcher (the leader, through `leaderURL` when
    /// given), then a second watcher started beside it.
    private func leaderAndFollower(
        _ database: IsolatedDatabase, _ db: any DatabaseConnection, leaderURL: String? = nil
    ) throws -> (first: CommandRunner.RunningCommand, second: CommandRunner.RunningCommand) {
        try insertStuck(5, into: db)
        let first = try startWatcher(database, name: "first", url: leaderURL)
        do {
            try waitUntil(seconds: 30, "the first watcher recovers") { try recovered(in: db) == 5 }
            return (first, try startWatcher(database, name: "second"))
        } catch {
            first.send(SIGKILL)
            throw error
        }
    }

    private func insertStuck(_ count: Int, into db: any DatabaseConnection) throws {
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        for _ in 0..<count {
            try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('sync', 'running', \(p(1)))", [old])
        }
    }

    private func recovered(in db: any DatabaseConnection) throws -> Int {
        try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'")
    }

    private func waitUntil(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting until \(what)")
        throw TimedOut()
    }

    struct TimedOut: Error {}
}
