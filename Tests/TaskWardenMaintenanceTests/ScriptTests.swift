import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The scripts of changes (`--show-sql`, a preview's SQL): recorded by a ``ScriptingConnection``
/// that runs only plain reads, so printing a script neither changes nor locks anything, and a
/// preview's script stops after the change's first batches.
@Suite("change scripts")
struct ScriptTests {
    /// A short lock wait on the session that records: a locking read run for real would fail
    /// with it instead of waiting the server's default (50 s on MariaDB).
    static let shortLockWait: [TestBackend: String] = [
        .postgresql: "lock_timeout=1000", .mysql: "innodb_lock_wait_timeout=1", .sqlite: "busy_timeout=200",
    ]

    @Test("another session holding the runs' row locks does not hold up the script of an undo or a reset: locking reads are recorded, not run", arguments: TestBackend.allCases)
    func lockedRows(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let ids = try (0..<5).map { _ in try fixture.insert(startedMinutesAgo: 120) }
        let reset = try fixture.runs.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "host gone")
        let batch = try #require(reset.batchID)
        let journaled = try fixture.journalCount()

        // The holder locks every run as a worker finishing them would. SQLite has no row
        // locks: its holder takes the database's write lock, which is what the script's
        // BEGIN IMMEDIATE would wait for, were it run.
        let holder = try fixture.database.connect()
        defer { holder.close() }
        try holder.execute(holder.dialect.beginTransactionSQL, [])
        if backend != .sqlite { _ = try holder.query("SELECT id FROM task_runs ORDER BY id FOR UPDATE", []) }
        let separator = fixture.database.urlString.contains("?") ? "&" : "?"
        let recorder = try DatabaseDrivers.connect(try DatabaseURL(parsing: fixture.database.urlString + separator + Self.shortLockWait[backend]!))
        defer { recorder.close() }
        let runs = TaskRuns(connection: recorder, actor: "tester")

        // A locking read run for real would wait, then fail with the short lock wait.
        let undo = try runs.script("undo") { _ = try $0.undo(batchID: batch) }
        let again = try runs.script("reset") { _ = try $0.reset(ResetFilter(statuses: [.failed]), to: .queued, reason: "retry") }
        try holder.execute("ROLLBACK", [])

        // The locks are in the scripts, to be taken when they run (MySQL by a read of their
        // own, PostgreSQL in the journal's INSERT ... SELECT); nothing ran.
        for script in [undo, again] {
            #expect(script.text().contains("FOR UPDATE") == (backend != .sqlite), "\(script.text())")
            #expect(script.text().contains("UPDATE "), "\(script.text())")
        }
        #expect(try fixture.journalCount() == journaled)
        for id in ids { #expect(try fixture.status(of: id) == "failed") }
    }

    @Test("the script of a purge of several statuses in primary-key order deletes nothing (PostgreSQL deletes them in one WITH ... DELETE ... RETURNING, a query)", arguments: TestBackend.allCases)
    func purgeThroughQuery(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        for status in ["succeeded", "failed", "cancelled", "succeeded"] { try fixture.insert(status: status, finishedMinutesAgo: 3 * 1_440) }
        var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400), .failed: .seconds(86_400), .cancelled: .seconds(86_400)]))
        options.order = .primaryKey
        options.batchSize = 2
        let script = try fixture.runs.script("purge") { _ = try $0.purge(options) }
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 4, "\(backend): the script deleted rows")
        #expect(script.text().contains("DELETE FROM"), "\(script.text())")
        // The script still does what the purge does.
        _ = try fixture.runs.purge(options)
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs") == 0)
    }

    @Test("a script stopped after its first batches records those and reads no further batch's bounds", arguments: TestBackend.allCases)
    func firstBatches(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        for _ in 0..<9 { try fixture.insert(startedMinutesAgo: 120) }
        let counting = CountingConnection(fixture.connection)
        let first = BatchLimit(2)
        let script = try TaskRuns(connection: counting, actor: "tester").script("reset") {
            _ = try $0.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "x", options: BulkOptions(batchSize: 2, shouldStop: first.shouldStop))
        }
        #expect(first.stopped)
        #expect(script.script.statements.filter { $0 == "COMMIT" }.count == 2, "\(script.text())")
        #expect(counting.reads(containing: "COUNT(*) OVER ()") == 2, "the bounds of the two batches shown, not of all five")
        #expect(script.text(moreBatches: 3).hasSuffix("-- … and 3 more batches like these: 'taskwarden reset --show-sql' prints them all.\n"))
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 9)

        let whole = try fixture.runs.script("reset") {
            _ = try $0.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "x", options: BulkOptions(batchSize: 2))
        }
        #expect(whole.script.statements.filter { $0 == "COMMIT" }.count == 5)
    }
}

/// A connection that counts the reads it passes on, by their text.
private final class CountingConnection: DatabaseConnection {
    let base: any DatabaseConnection
    private(set) var queries: [String] = []

    init(_ base: any DatabaseConnection) { self.base = base }

    var url: DatabaseURL { base.url }
    var dialect: SQLDialect { base.dialect }
    var serverVersion: String { base.serverVersion }
    var isClosed: Bool { base.isClosed }

    func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int { try base.execute(sql, parameters) }

    func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] {
        queries.append(sql)
        return try base.query(sql, parameters)
    }

    func ping() throws { try base.ping() }
    func close() {}

    func reads(containing marker: String) -> Int { queries.filter { $0.contains(marker) }.count }
}
