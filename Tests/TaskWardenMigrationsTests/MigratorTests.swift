import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The migration engine against real servers.
@Suite("Migrator")
struct MigratorTests {
    @Test("a fresh database migrates to the latest version, and a second run is a no-op", arguments: TestBackend.allCases)
    func freshThenNoOp(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let migrator = try fixture.migrator()
        let versions = try fixture.builtInVersions()
        let first = try migrator.up()
        #expect(first.steps.map(\.version) == versions)
        #expect(first.currentVersion == versions.last)
        #expect(fixture.tableExists("task_runs"))
        #expect(fixture.tableExists("task_run_events"))
        let second = try migrator.up()
        #expect(second.steps.isEmpty)
        #expect(second.currentVersion == versions.last)
        let status = try migrator.status()
        #expect(status.isUpToDate)
        #expect(status.entries.map(\.status) == versions.map { _ in .applied })
        #expect(status.entries.allSatisfy { $0.record?.appliedBy.isEmpty == false && $0.record?.toolVersion == TaskWardenVersion.current })
    }

    @Test("the task_runs schema enforces statuses and stores microsecond UTC times", arguments: TestBackend.allCases)
    func schema(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        _ = try fixture.migrator().up()
        let db = fixture.connection
        let p = db.dialect.placeholder
        let started = Timestamp(Timestamp.Components(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 678_901))
        try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES (\(p(1)), \(p(2)), \(p(3)))", ["report", "running", .timestamp(started)])
        let row = try #require(try db.queryFirst("SELECT id, kind, queue, status, attempt, max_attempts, started_at, created_at FROM task_runs"))
        #expect(try row.decode(String.self, "queue") == "default")
        #expect(try row.decode(Int.self, "attempt") == 0)
        #expect(try row.decode(Timestamp.self, "started_at") == started)
        let created = try row.decode(Timestamp.self, "created_at")
        #expect(abs(created.secondsSinceEpoch - Timestamp.now.secondsSinceEpoch) < 60, "created_at default is not UTC now: \(created)")
        let error = try #require(throws: DatabaseError.self) {
            try db.execute("INSERT INTO task_runs (kind, status) VALUES (\(p(1)), \(p(2)))", ["report", "exploded"])
        }
        #expect(error.category == .constraintViolation)
    }

    @Test("down then up round-trips", arguments: TestBackend.allCases)
    func downThenUp(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let migrator = try fixture.migrator()
        _ = try migrator.up()
        // What was confirmed (before the lock) no longer matches: nothing is reverted.
        let changed = try #require(throws: MigrationError.self) { try migrator.down(steps: 1, expected: [1]) }
        #expect(changed.kind == .invalidRequest)
        #expect(fixture.tableExists("task_run_events"))
        let versions = try fixture.builtInVersions()
        let down = try migrator.down(steps: versions.count - 1, expected: try migrator.revertPlan(to: nil, steps: versions.count - 1).map(\.version))
        #expect(down.steps.map(\.version) == versions.dropFirst().reversed())
        #expect(!fixture.tableExists("task_run_events"))
        #expect(fixture.tableExists("task_runs"))
        let all = try migrator.down(to: 0)
        #expect(all.steps.map(\.version) == [1])
        #expect(all.currentVersion == 0)
        #expect(!fixture.tableExists("task_runs"))
        let up = try migrator.up()
        #expect(up.steps.map(\.version) == versions)
        #expect(try migrator.status().isUpToDate)
    }

    @Test("up --to stops at the target", arguments: TestBackend.allCases)
    func upToTarget(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let migrator = try fixture.migrator()
        #expect(try migrator.up(to: 1).steps.map(\.version) == [1])
        #expect(try migrator.status().pending.map(\.version) == Array(try fixture.builtInVersions().dropFirst()))
        #expect(throws: MigrationError.self) { try migrator.up(to: 99) }
    }

    @Test("an edited applied migration is drift: status shows it, up refuses, repair accepts it", arguments: TestBackend.allCases)
    func drift(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (original, directory) = try fixture.userSet(["0001_widgets.sql": SampleMigrations.widgets])
        _ = try fixture.migrator(original).up()
        try (SampleMigrations.widgets + "\n-- an edit\n").write(toFile: directory.appending("0001_widgets.sql"), atomically: true, encoding: .utf8)
        try SampleMigrations.gadgets.write(toFile: directory.appending("0002_gadgets.sql"), atomically: true, encoding: .utf8)
        let edited = try fixture.migrator(try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect))
        #expect(try edited.status().drift.map(\.version) == [1])
        let error = try #require(throws: MigrationError.self) { try edited.up() }
        #expect(error.kind == .drift)
        #expect(!fixture.tableExists("gadgets"))
        #expect(try edited.repair(acceptChanged: true).accepted.map(\.version) == [1])
        #expect(try edited.up().steps.map(\.version) == [2])
    }

    @Test("a CRLF copy of an applied file is not drift", arguments: [TestBackend.sqlite])
    func crlfIsNotDrift(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, directory) = try fixture.userSet(["0001_widgets.sql": SampleMigrations.widgets])
        _ = try fixture.migrator(set).up()
        try SampleMigrations.widgets.replacingOccurrences(of: "\n", with: "\r\n")
            .write(toFile: directory.appending("0001_widgets.sql"), atomically: true, encoding: .utf8)
        let reread = try fixture.migrator(try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect))
        #expect(try reread.status().isUpToDate)
    }

    @Test("a failing migration leaves a failed state that blocks up until repair", arguments: TestBackend.allCases)
    func failedState(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, directory) = try fixture.userSet([
            "0001_widgets.sql": SampleMigrations.widgets, "0002_failing.sql": SampleMigrations.failing,
        ])
        let migrator = try fixture.migrator(set)
        let error = try #require(throws: MigrationError.self) { try migrator.up() }
        #expect(error.kind == .failed)
        #expect(error.message.contains("statement 2 of 2"))
        #expect(error.underlying?.category == .undefinedTable)
        let failed = try #require(try migrator.status().entries.first { $0.version == 2 })
        #expect(failed.status == .failed)
        #expect(failed.record?.error?.contains("no_such_table") == true)
        if backend == .mysql {
            // DDL commits implicitly: the first statement stayed, and the record says so.
            #expect(fixture.tableExists("half_done"))
            #expect(failed.record?.statementsDone == 1)
        } else {
            #expect(!fixture.tableExists("half_done"), "the failed migration was not rolled back")
        }
        #expect(try migrator.status().entries.first?.status == .applied)
        let blocked = try #require(throws: MigrationError.self) { try migrator.up() }
        #expect(blocked.kind == .dirty)

        // The manual fix: repair the file (and on MySQL undo the half-done part), then repair.
        if backend == .mysql { try fixture.connection.execute("DROP TABLE half_done", []) }
        try SampleMigrations.failing.replacingOccurrences(of: "INSERT INTO no_such_table VALUES (1);", with: "")
            .write(toFile: directory.appending("0002_failing.sql"), atomically: true, encoding: .utf8)
        let fixed = try fixture.migrator(try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect))
        #expect(try fixed.repair().cleared.map(\.version) == [2])
        #expect(try fixed.up().steps.map(\.version) == [2])
        #expect(fixture.tableExists("half_done"))
    }

    @Test("plan shows the SQL and changes nothing", arguments: TestBackend.allCases)
    func planChangesNothing(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let migrator = try fixture.migrator()
        let plan = try migrator.plan()
        #expect(plan.steps.map(\.migration.version) == (try fixture.builtInVersions()))
        #expect(plan.steps.allSatisfy { $0.inTransaction == (backend != .mysql) })
        #expect(plan.steps[0].migration.upStatements.first?.contains("CREATE TABLE task_runs") == true)
        #expect(!fixture.tableExists("task_runs"))
        #expect(!fixture.tableExists("taskwarden_schema_migrations"))
        #expect(try migrator.status().historyExists == false)
    }

    @Test("baseline adopts a database that already has the tables", arguments: TestBackend.allCases)
    func baseline(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let set = try MigrationSet.builtIn(for: fixture.connection.dialect)
        for statement in set.migrations[0].upStatements { try fixture.connection.execute(statement, []) }
        let migrator = try fixture.migrator(set)
        #expect(try migrator.baseline(version: 1).steps.map(\.version) == [1])
        let later = set.migrations.dropFirst().map(\.version)
        #expect(try migrator.status().entries.map(\.status) == [.baseline] + later.map { _ in .pending })
        #expect(try migrator.up().steps.map(\.version) == later)
        let refused = try #require(throws: MigrationError.self) { try migrator.baseline(version: 1) }
        #expect(refused.kind == .invalidRequest)
    }

    @Test("user sets are tracked apart from the built-in set", arguments: TestBackend.allCases)
    func separateSets(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        _ = try fixture.migrator().up()
        let (set, _) = try fixture.userSet(["0001_widgets.sql": SampleMigrations.widgets])
        #expect(try fixture.migrator(set).up().steps.map(\.version) == [1])
        #expect(try fixture.migrator().status().isUpToDate)
        #expect(try fixture.migrator(set).status().isUpToDate)
    }

    @Test("the lease lock mode migrates too, and a held lock times out", arguments: TestBackend.allCases)
    func leaseLock(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        var options = MigratorOptions()
        options.lockMode = .lease
        options.lockTimeout = .seconds(1)
        let holder = try LeaseLock(name: options.lockName, connection: try fixture.database.connect())
        #expect(try holder.tryAcquire())
        let error = try #require(throws: MigrationError.self) { try fixture.migrator(options: options).up() }
        #expect(error.kind == .lockTimeout)
        holder.release()
        #expect(try fixture.migrator(options: options).up().steps.map(\.version) == (try fixture.builtInVersions()))
    }

    @Test("a held session lock times out", arguments: [TestBackend.postgresql, .mysql])
    func sessionLockTimeout(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        var options = MigratorOptions()
        options.lockTimeout = .milliseconds(600)
        let holder = try SessionLock(name: options.lockName, connection: try fixture.database.connect())
        #expect(try holder.tryAcquire())
        let waited = ContinuousClock().measure {
            let error = #expect(throws: MigrationError.self) { try fixture.migrator(options: options).up() }
            #expect(error?.kind == .lockTimeout)
        }
        #expect(waited >= .milliseconds(500))
        holder.release()
        #expect(try fixture.migrator(options: options).up().steps.map(\.version) == (try fixture.builtInVersions()))
    }

    @Test("two databases on one server migrate at once: the migration lock is per database", arguments: [TestBackend.postgresql, .mysql])
    func lockIsPerDatabase(backend: TestBackend) throws {
        let first = try MigrationFixture(backend)
        defer { first.close() }
        let second = try MigrationFixture(backend)
        defer { second.close() }
        var options = MigratorOptions()
        options.lockTimeout = .seconds(1)
        // The first database's deploy holds its migration lock (a slow migration, say).
        let holder = try SessionLock(name: options.lockName, connection: try first.database.connect())
        defer { holder.release() }
        #expect(try holder.tryAcquire())
        let result = try second.migrator(options: options).up()
        #expect(result.steps.map(\.version) == (try second.builtInVersions()))
        #expect(!result.waitedForLock, "the second database waited for the first one's lock")
        // Within one database the lock still excludes.
        let blocked = try #require(throws: MigrationError.self) { try first.migrator(options: options).up() }
        #expect(blocked.kind == .lockTimeout)
    }

    @Test("a session lock on SQLite is a thrown error, not a crash")
    func sessionLockOnSQLite() throws {
        let fixture = try MigrationFixture(.sqlite)
        defer { fixture.close() }
        let error = try #require(throws: DatabaseLockError.self) {
            try SessionLock(name: "taskwarden.migrate", connection: try fixture.database.connect())
        }
        #expect(error.kind == .unsupported)
    }
}
