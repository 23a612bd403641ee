import Foundation
import Synchronization
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Waiting on another session's lock ends in a classified, retryable error.
@Suite("Lock waits")
struct LockWaitTests {
    @Test("SQLite: a second writer waits its busy timeout, then gets a busy error")
    func sqliteBusy() throws {
        let url = try TestBackend.sqlite.makeURLString()
        let holder = try DatabaseDrivers.connect(url)
        defer { holder.close() }
        let waiter = try DatabaseDrivers.connect(url + "?busy_timeout=200")
        defer { waiter.close() }
        try holder.execute("CREATE TABLE t (x INTEGER)", [])
        try holder.execute("BEGIN IMMEDIATE", [])
        let start = Date()
        let error = try #require(throws: DatabaseError.self) {
            try waiter.inTransaction { db in try db.execute("INSERT INTO t VALUES (1)", []) }
        }
        #expect(error.category == .busy)
        #expect(error.category.isTransient)
        #expect(Date().timeIntervalSince(start) >= 0.15, "the busy timeout was not honoured")
        try holder.execute("COMMIT", [])
        try waiter.inTransaction { db in try db.execute("INSERT INTO t VALUES (1)", []) }
        #expect(try holder.queryValue(Int.self, "SELECT count(*) FROM t") == 1)
    }

    @Test("SQLite: connections opening a new file at the same moment all connect, and the file is in WAL mode")
    func sqliteNewFileTogether() throws {
        // Each round a fresh file, opened by 8 threads released at once: two of them asking for
        // WAL together get SQLITE_BUSY without a wait, which connect must take in its stride.
        for _ in 0..<20 {
            let url = try TestBackend.sqlite.makeURLString()
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            let failures = Mutex<[String]>([])
            for _ in 0..<8 {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    start.wait()
                    do {
                        let connection = try DatabaseDrivers.connect(url)
                        connection.close()
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            for _ in 0..<8 { start.signal() }
            #expect(done.wait(timeout: .now() + 60) == .success)
            #expect(failures.withLock { $0 } == [])
            let check = try DatabaseDrivers.connect(url)
            defer { check.close() }
            #expect(try check.query("PRAGMA journal_mode", []).first?.decode(String.self, "journal_mode") == "wal")
        }
    }

    @Test("PostgreSQL: lock_timeout from the URL ends a lock wait with a timeout error")
    func postgresLockTimeout() throws {
        let holder = try TestBackend.postgresql.connect()
        defer { holder.close() }
        let waiter = try TestBackend.postgresql.connect(parameters: ["lock_timeout": "200"])
        defer { waiter.close() }
        let table = uniqueTableName()
        try holder.execute("CREATE TABLE \(table) (x INTEGER)", [])
        defer { ConformanceFixtures.drop(table, on: holder) }
        try holder.execute("BEGIN", [])
        try holder.execute("LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE", [])
        let error = try #require(throws: DatabaseError.self) { try waiter.query("SELECT * FROM \(table)", []) }
        try holder.execute("COMMIT", [])
        #expect(error.sqlState == "55P03")
        #expect(error.category == .lockTimeout)
    }

    @Test("MySQL: innodb_lock_wait_timeout from the URL ends a row-lock wait with a timeout error")
    func mysqlLockWaitTimeout() throws {
        let holder = try TestBackend.mysql.connect()
        defer { holder.close() }
        let waiter = try TestBackend.mysql.connect(parameters: ["innodb_lock_wait_timeout": "1"])
        defer { waiter.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: holder)
        defer { ConformanceFixtures.drop(table, on: holder) }
        try ConformanceFixtures.insert(into: table, on: holder, id: 1, column: "i", value: 1)
        try holder.execute("START TRANSACTION", [])
        _ = try holder.query("SELECT * FROM \(table) WHERE id = 1 FOR UPDATE", [])
        let error = try #require(throws: DatabaseError.self) {
            try waiter.execute("UPDATE \(table) SET i = ? WHERE id = ?", [2, 1])
        }
        try holder.execute("ROLLBACK", [])
        #expect(error.vendorCode == 1205)
        #expect(error.category == .lockTimeout)
    }
}

/// Two transactions that lock the same rows in opposite orders: the server picks a victim.
@Suite("Deadlocks")
struct DeadlockTests {
    @Test("a deadlock is classified as such, and is transient", arguments: [TestBackend.postgresql, .mysql])
    func deadlock(backend: TestBackend) throws {
        let setup = try backend.connect()
        defer { setup.close() }
        let table = uniqueTableName()
        try ConformanceFixtures.createValuesTable(table, on: setup)
        defer { ConformanceFixtures.drop(table, on: setup) }
        for id in [1, 2] { try ConformanceFixtures.insert(into: table, on: setup, id: Int64(id), column: "i", value: 0) }
        let url = try backend.makeURLString()
        let p = setup.dialect.placeholder
        let update = "UPDATE \(table) SET i = i + 1 WHERE id = \(p(1))"
        let first = try DatabaseDrivers.connect(url)
        defer { first.close() }
        try first.execute(first.dialect.beginTransactionSQL, [])
        try first.execute(update, [1])
        let errors = ErrorBox()
        let other = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { other.signal() }
            guard let second = try? DatabaseDrivers.connect(url) else { return }
            defer { second.close() }
            do {
                try second.execute(second.dialect.beginTransactionSQL, [])
                try second.execute(update, [2])
                try second.execute(update, [1])  // waits for the first transaction
                try second.execute("COMMIT", [])
            } catch let error as DatabaseError {
                errors.record(error)
                _ = try? second.execute("ROLLBACK", [])
            } catch {}
        }
        Thread.sleep(forTimeInterval: 0.3)
        do {
            try first.execute(update, [2])  // closes the cycle
            try first.execute("COMMIT", [])
        } catch let error as DatabaseError {
            errors.record(error)
            _ = try? first.execute("ROLLBACK", [])
        }
        other.wait()
        let error = try #require(errors.first)
        #expect(error.category == .deadlock, "\(error)")
        #expect(error.category.isTransient)
        #expect(backend == .postgresql ? error.sqlState == "40P01" : error.vendorCode == 1213)
    }

    final class ErrorBox: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [DatabaseError] = []
        func record(_ error: DatabaseError) { lock.withLock { errors.append(error) } }
        var first: DatabaseError? { lock.withLock { errors.first } }
    }
}

/// A session lock whose session is killed reports itself lost, so a migrator stops.
@Suite("Session locks")
struct SessionLockTests {
    @Test("a session lock knows it is lost once its session is killed", arguments: [TestBackend.postgresql, .mysql])
    func lostWhenKilled(backend: TestBackend) throws {
        let admin = try backend.connect()
        defer { admin.close() }
        let lockConnection = try backend.connect()
        let sessionID = try lockConnection.queryValue(
            Int64.self, backend == .postgresql ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")
        let lock = try SessionLock(name: "tw-test-\(UUID().uuidString.prefix(8))", connection: lockConnection)
        defer { lock.release() }
        #expect(try lock.tryAcquire())
        #expect(!lock.isLost)
        if backend == .postgresql {
            _ = try admin.query("SELECT pg_terminate_backend(CAST($1 AS integer))", [.integer(sessionID)])
        } else {
            try admin.execute("KILL \(sessionID)", [])
        }
        // The server ends the session asynchronously; give it a moment.
        let deadline = Date().addingTimeInterval(5)
        while !lock.isLost && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(lock.isLost)
        #expect(lock.description.hasPrefix(backend == .postgresql ? "advisory lock" : "named lock"))
    }
}
