import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden migrate` run as separate processes, as deploys run it.
@Suite("taskwarden migrate")
struct MigrateCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("8 processes started together all exit 0 and each migration is applied exactly once", arguments: TestBackend.allCases)
    func concurrentDeploys(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        let processes = try (0..<8).map { _ in
            try taskwarden.start(["migrate", "--json", "--database", database.urlString], workingDirectory: directory)
        }
        let outcomes = try processes.map { try $0.wait(timeout: .seconds(120)) }
        for outcome in outcomes {
            #expect(outcome.status == 0, "\(outcome.allOutput)")
        }
        let appliedCounts = outcomes.map { outcome -> Int in
            let json = try? JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            return (json?["applied"] as? [Any])?.count ?? -1
        }
        let db = try database.connect()
        defer { db.close() }
        let versions = try MigrationSet.builtIn(for: db.dialect).migrations.map { Int($0.version) }
        #expect(appliedCounts.reduce(0, +) == versions.count, "applied per process: \(appliedCounts)")
        let applies = try db.query(
            "SELECT version, COUNT(*) AS n FROM taskwarden_schema_events WHERE action = 'apply' GROUP BY version ORDER BY version", [])
        #expect(try applies.map { try $0.decode(Int.self, "version") } == versions)
        #expect(try applies.map { try $0.decode(Int.self, "n") } == versions.map { _ in 1 })
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_schema_migrations WHERE state = 'applied'") == versions.count)
    }

    @Test("status --exit-code gates CI: 8 pending, 0 up to date; validate and up report drift and dirt", arguments: TestBackend.allCases)
    func exitCodes(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + url).status == 8)
        #expect(try taskwarden.run(["migrate", "status"] + url).status == 0)
        #expect(try taskwarden.run(["migrate", "up"] + url).status == 0)
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + url).status == 0)

        let directory = try TemporaryDirectory.make()
        let file = directory.appending("0001_widgets.sql")
        try "-- taskwarden:up\nCREATE TABLE widgets (id INTEGER);\n".write(toFile: file, atomically: true, encoding: .utf8)
        let app = url + ["--dir", directory]
        #expect(try taskwarden.run(["migrate"] + app).status == 0)
        try "-- taskwarden:up\nCREATE TABLE widgets (id BIGINT);\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try taskwarden.run(["migrate", "validate"] + app).status == 5)
        let up = try taskwarden.run(["migrate"] + app)
        #expect(up.status == 5)
        #expect(up.standardError.contains("was edited after it was applied"))
        #expect(try taskwarden.run(["migrate", "repair", "--accept-changed"] + app).status == 0)
        #expect(try taskwarden.run(["migrate", "validate"] + app).status == 0)

        try "-- taskwarden:up\nINSERT INTO no_such_table VALUES (1);\n".write(
            toFile: directory.appending("0002_broken.sql"), atomically: true, encoding: .utf8)
        let failed = try taskwarden.run(["migrate"] + app)
        #expect(failed.status == 4, "\(failed.allOutput)")
        #expect(failed.standardError.split(separator: "\n").count == 1)
        #expect(try taskwarden.run(["migrate"] + app).status == 6)
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + app).status == 6)
        #expect(!(try taskwarden.run(["migrate", "status"] + app).allOutput.contains("tw-test-pw")))
    }

    @Test("--dir: an upper-case .SQL file is applied; backups are named as ignored; no migration at all is an error", arguments: TestBackend.allCases)
    func directoryFiles(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try "-- taskwarden:up\nCREATE TABLE widgets (id INTEGER);\n".write(
            toFile: directory.appending("0001_x.SQL"), atomically: true, encoding: .utf8)
        try "junk".write(toFile: directory.appending(".0002_y.sql.swp"), atomically: true, encoding: .utf8)
        let applied = try taskwarden.run(["migrate", "--dir", directory, "--database", database.urlString])
        #expect(applied.status == 0, "\(applied.allOutput)")
        #expect(applied.standardOutput.contains("applied 1 x"))
        #expect(applied.standardError.contains("ignored .0002_y.sql.swp"))

        let backups = try TemporaryDirectory.make()
        try "junk".write(toFile: backups.appending(".0002_y.sql.swp"), atomically: true, encoding: .utf8)
        try "-- taskwarden:up\nSELECT 1;\n".write(toFile: backups.appending("0002_y.sql~"), atomically: true, encoding: .utf8)
        let nothing = try taskwarden.run(["migrate", "--dir", backups, "--set", "other", "--database", database.urlString])
        #expect(nothing.status == 5, "\(nothing.allOutput)")
        let lines = nothing.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("taskwarden: error: "), "\(nothing.standardError)")
        #expect(nothing.standardError.contains(".0002_y.sql.swp (hidden file)") && nothing.standardError.contains("0002_y.sql~ (editor backup)"))
    }

    @Test("--set longer than the history column: exit 2 before any SQL", arguments: TestBackend.allCases)
    func longSetName(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try "-- taskwarden:up\nCREATE TABLE widgets (id INTEGER);\n".write(
            toFile: directory.appending("0001_x.sql"), atomically: true, encoding: .utf8)
        let outcome = try taskwarden.run(
            ["migrate", "--dir", directory, "--set", String(repeating: "n", count: 101), "--database", database.urlString])
        #expect(outcome.status == 2, "\(outcome.allOutput)")
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.contains("at most 100"))
    }

    @Test("validate on a dirty history: exit 6, the reason in one line, ok false in --json", arguments: TestBackend.allCases)
    func validateDirty(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try "-- taskwarden:up\nINSERT INTO no_such_table VALUES (1);\n".write(
            toFile: directory.appending("0001_broken.sql"), atomically: true, encoding: .utf8)
        let app = ["--dir", directory, "--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + app).status == 4)
        let text = try taskwarden.run(["migrate", "validate"] + app)
        #expect(text.status == 6)
        #expect(text.standardError.split(separator: "\n").count == 1, "\(text.standardError)")
        #expect(text.standardError.contains("taskwarden: error: migration 1 broken failed"), "\(text.standardError)")
        let json = try taskwarden.run(["migrate", "validate", "--json"] + app)
        #expect(json.status == 6)
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false, "\(json.standardOutput)")
        #expect((object?["error"] as? String)?.contains("migration 1 broken failed") == true)
    }

    @Test("PostgreSQL: a session killed while it connects gives one error line, no libpq FATAL on stderr")
    func killedWhileConnecting() throws {
        let database = try IsolatedDatabase.create(.postgresql)
        defer { database.drop() }
        let direct = try database.url
        let adminURL = database.urlString
        let proxy = try StartupKillProxy(targetPort: try #require(direct.port)) { pid in
            guard let admin = try? DatabaseDrivers.connect(adminURL) else { return }
            defer { admin.close() }
            // With a timeout, pg_terminate_backend returns once the backend has ended.
            _ = try? admin.query("SELECT pg_terminate_backend(CAST($1 AS integer), 5000)", [.integer(Int64(pid))])
        }
        var components = try #require(URLComponents(string: database.urlString))
        components.port = proxy.port
        components.query = "sslmode=disable&gssencmode=disable"
        let outcome = try taskwarden.run(["migrate", "status", "--database", try #require(components.string)])
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("taskwarden: error: "), "\(outcome.standardError)")
        #expect(!outcome.standardOutput.contains("FATAL"))
        withExtendedLifetime(proxy) {}
    }

    @Test("a held lock makes migrate exit 7 after --lock-timeout", arguments: [TestBackend.postgresql, .mysql])
    func lockTimeout(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let holder = try SessionLock(name: MigratorOptions().lockName, connection: try database.connect())
        #expect(try holder.tryAcquire())
        let outcome = try taskwarden.run(["migrate", "--lock-timeout", "1s", "--database", database.urlString])
        holder.release()
        #expect(outcome.status == 7, "\(outcome.allOutput)")
        #expect(outcome.standardError.contains("waiting for the"))
    }

    @Test("a process killed with SIGKILL mid-migration leaves a state the next run handles", arguments: TestBackend.allCases)
    func killedMidMigration(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try "-- taskwarden:up\nCREATE TABLE first_table (id INTEGER);\n".write(
            toFile: directory.appending("0001_first.sql"), atomically: true, encoding: .utf8)
        try SlowMigration.text(for: backend).write(toFile: directory.appending("0002_slow.sql"), atomically: true, encoding: .utf8)
        let arguments = ["migrate", "--dir", directory, "--database", database.urlString]

        let victim = try taskwarden.start(arguments)
        let observer = try database.connect()
        defer { observer.close() }
        try SlowMigration.waitUntilRunning(on: observer, backend: backend)
        victim.send(SIGKILL)
        _ = try victim.wait()
        // Same migration, minus the wait, so the rest of the test is quick. It was never
        // recorded as applied, so its checksum is free to change.
        try SlowMigration.text(for: backend).replacingOccurrences(of: "20", with: "0")
            .write(toFile: directory.appending("0002_slow.sql"), atomically: true, encoding: .utf8)

        let next = try taskwarden.run(arguments, timeout: .seconds(120))
        switch backend {
        case .postgresql, .sqlite:
            // The transaction died with the process: the slow migration is simply applied again.
            #expect(next.status == 0, "\(next.allOutput)")
            #expect(next.standardOutput.contains("applied 2 slow"))
        case .mysql:
            // DDL had committed: the migration is reported as interrupted until repaired.
            #expect(next.status == 6, "\(next.allOutput)")
            #expect(next.standardError.contains("interrupted"))
            #expect(try taskwarden.run(["migrate", "repair"] + arguments.dropFirst()).status == 0)
            let resumed = try taskwarden.run(arguments, timeout: .seconds(120))
            #expect(resumed.status == 0, "\(resumed.allOutput)")
        }
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + arguments.dropFirst()).status == 0)
    }

    @Test("SIGTERM mid-migration: the statement stops on the server, status says which statements ran, and repair --mark-applied is a way forward", arguments: TestBackend.allCases)
    func sigtermMidMigration(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        let slow = SlowMigration.text(for: backend).replacingOccurrences(of: "-- taskwarden:up\n", with: "")
            .replacingOccurrences(of: "CREATE TABLE IF NOT EXISTS slow_table (id INTEGER);\n", with: "")
            .replacingOccurrences(of: "CREATE TABLE slow_table (id INTEGER);\n", with: "")
        let text = "-- taskwarden:up\nCREATE TABLE first_part (id INTEGER);\n\(slow)\nCREATE TABLE last_part (id INTEGER);\n"
        let file = directory.appending("0001_three.sql")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let arguments = ["--dir", directory, "--database", database.urlString]
        let victim = try taskwarden.start(["migrate"] + arguments)
        let observer = try database.connect()
        defer { observer.close() }
        try SlowMigration.waitUntilRunning(on: observer, backend: backend)
        victim.send(SIGTERM)
        let interrupted = try victim.wait()
        #expect(interrupted.status == 143, "\(interrupted.allOutput)")

        switch backend {
        case .mysql:
            // Stopped before the process exited, not left running on the server.
            #expect(interrupted.standardError.contains("running statement cancelled"), "\(interrupted.standardError)")
            #expect(try observer.queryValue(
                Int.self, "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(20)%' AND db = DATABASE()") == 0)
            let status = try taskwarden.run(["migrate", "status"] + arguments)
            #expect(status.standardOutput.contains("1 of 3 done"), "\(status.standardOutput)")
            #expect(status.standardOutput.contains("--mark-applied 1"))
            let refused = try taskwarden.run(["migrate"] + arguments)
            #expect(refused.status == 6)
            #expect(refused.standardError.split(separator: "\n").count == 1)
            #expect(refused.standardError.contains("statements 1-1 of 3 had completed"), "\(refused.standardError)")
            // The way forward the message offers: finish by hand, then mark it applied.
            try observer.execute("CREATE TABLE last_part (id INTEGER)", [])
            let repaired = try taskwarden.run(["migrate", "repair", "--mark-applied", "1"] + arguments)
            #expect(repaired.status == 0, "\(repaired.allOutput)")
            #expect(repaired.standardOutput.contains("marked 1 three as applied"))
            let after = try taskwarden.run(["migrate"] + arguments)
            #expect(after.status == 0, "\(after.allOutput)")
            #expect(after.standardOutput.contains("already up to date"))
            #expect(try taskwarden.run(["migrate", "repair", "--mark-applied", "1"] + arguments).status == 2)
        case .postgresql, .sqlite:
            // The transaction died with the process: nothing to repair, it is applied again.
            try text.replacingOccurrences(of: "20", with: "0").write(toFile: file, atomically: true, encoding: .utf8)
            let next = try taskwarden.run(["migrate"] + arguments, timeout: .seconds(120))
            #expect(next.status == 0, "\(next.allOutput)")
            #expect(next.standardOutput.contains("applied 1 three"))
        }
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + arguments).status == 0)
    }

    @Test("SIGTERM releases a lease at once", arguments: [TestBackend.postgresql, .mysql])
    func sigtermReleasesLease(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try SlowMigration.text(for: backend).write(toFile: directory.appending("0001_slow.sql"), atomically: true, encoding: .utf8)
        let process = try taskwarden.start(["migrate", "--lock-mode", "lease", "--dir", directory, "--database", database.urlString])
        let observer = try database.connect()
        defer { observer.close() }
        try SlowMigration.waitUntilRunning(on: observer, backend: backend)
        #expect(try observer.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks") == 1)
        process.send(SIGTERM)
        let outcome = try process.wait()
        #expect(outcome.status == 128 + SIGTERM, "\(outcome.allOutput)")
        #expect(try observer.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_locks") == 0)
    }

    @Test("migrate works from any directory: the built-in migrations are embedded")
    func embeddedFromAnyDirectory() throws {
        let directory = try TemporaryDirectory.make()
        let outcome = try taskwarden.run(["migrate"], workingDirectory: directory)
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardOutput.contains("applied 1 create_task_runs"))
        #expect(FileManager.default.fileExists(atPath: directory.appending("taskwarden.sqlite")))
        let plan = try taskwarden.run(["migrate", "plan"], workingDirectory: directory)
        #expect(plan.standardOutput.contains("0 migration(s) pending"))
    }

    @Test("down asks first: without a terminal it refuses unless --yes")
    func downNeedsConfirmation() throws {
        let directory = try TemporaryDirectory.make()
        #expect(try taskwarden.run(["migrate"], workingDirectory: directory).status == 0)
        let refused = try taskwarden.run(["migrate", "down", "--steps", "1"], workingDirectory: directory)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--yes"))
        let done = try taskwarden.run(["migrate", "down", "--steps", "1", "--yes"], workingDirectory: directory)
        #expect(done.status == 0, "\(done.allOutput)")
        let memory = try DatabaseDrivers.connect("sqlite::memory:")
        defer { memory.close() }
        let latest = try #require(try MigrationSet.builtIn(for: memory.dialect).migrations.last)
        #expect(done.standardOutput.contains("reverted \(latest.version) \(latest.name)"))
        #expect(try taskwarden.run(["migrate", "down"], workingDirectory: directory).status == 2)
    }
}

/// A migration that takes seconds, and a way to see that it has started.
enum SlowMigration {
    static func text(for backend: TestBackend) -> String {
        switch backend {
        case .postgresql: "-- taskwarden:up\nCREATE TABLE slow_table (id INTEGER);\nSELECT pg_sleep(20);\n"
        case .mysql: "-- taskwarden:up\nCREATE TABLE IF NOT EXISTS slow_table (id INTEGER);\nSELECT SLEEP(20);\n"
        case .sqlite:
            """
            -- taskwarden:up
            CREATE TABLE slow_table AS
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000)
            SELECT COUNT(*) AS n FROM c;
            """
        }
    }

    /// Waits until another session is inside the slow statement.
    static func waitUntilRunning(on db: any DatabaseConnection, backend: TestBackend) throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let running: Bool
            switch backend {
            case .postgresql:
                running = try db.queryValue(
                    Int.self, "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' AND state = 'active' AND datname = current_database()") > 0
            case .mysql:
                running = try db.queryValue(
                    Int.self, "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(20)%' AND db = DATABASE()") > 0
            case .sqlite:
                // The migrator holds the write lock while the statement runs: BEGIN IMMEDIATE
                // waits out the busy timeout, then fails. The statement (200 M rows, most of a
                // minute) outlasts that timeout however loaded the machine; the test stops it.
                running = (try? db.execute("BEGIN IMMEDIATE", [])) == nil
                if !running { try db.execute("ROLLBACK", []) }
            }
            if running { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw FixtureTimeout()
    }

    struct FixtureTimeout: Error {}
}

@Suite("taskwarden migrate --wait-for-database")
struct WaitForDatabaseTests {
    @Test("an unreachable database is retried for the given time, then exit code 3")
    func retriesThenGivesUp() throws {
        let taskwarden = try CommandRunner()
        let port = try closedLoopbackPort()
        let outcome = try taskwarden.run([
            "migrate", "--wait-for-database", "2s", "--database", "postgres://u:hunter2secret@127.0.0.1:\(port)/db",
        ])
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        #expect(outcome.duration >= .milliseconds(1_500), "gave up after \(outcome.duration)")
        #expect(outcome.standardError.contains("retrying"))
        #expect(!outcome.allOutput.contains("hunter2"))
    }

    @Test("wrong credentials are not retried")
    func credentialsAreNotRetried() throws {
        let taskwarden = try CommandRunner()
        var components = try #require(URLComponents(string: try TestBackend.postgresql.makeURLString()))
        components.password = "wrong-password-x"
        let outcome = try taskwarden.run(["migrate", "--wait-for-database", "30s", "--database", try #require(components.string)])
        #expect(outcome.status == 3)
        #expect(outcome.duration < .seconds(10))
    }
}
