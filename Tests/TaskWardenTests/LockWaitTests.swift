import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Waiting on another session's lock ends in a classified, retryable error.
@Suite("Lock waits")
struct LockWaitTests {
    @Test("SQLite: a second writer waits its busy timeout, then gets a busy error")
    func sqliteBusy() throws {
        let url = try TestBackend.sqlite.makeURLString()
        let holder = try Database.connect(url)
        defer { holder.close() }
        let waiter = try Database.connect(url + "?busy_timeout=200")
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
        #expect(error.category == .timeout)
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
        #expect(error.category == .timeout)
    }
}
