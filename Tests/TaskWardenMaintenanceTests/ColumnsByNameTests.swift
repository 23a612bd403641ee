import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Roles a mapping leaves out take the table's column of TaskWarden's own name.
@Suite("Columns mapped by their own names")
struct ColumnsByNameTests {
    @Test("a mapping of the name alone finds started_at, heartbeat_at, finished_at and kind; a column given another role is not reused", arguments: TestBackend.allCases)
    func filledByName(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("""
            CREATE TABLE plain_runs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, kind VARCHAR(20), started_at TIMESTAMP NULL,
                heartbeat_at TIMESTAMP NULL, finished_at TIMESTAMP NULL, error TEXT, message TEXT)
            """, [])
        let p = db.dialect.placeholder
        for (id, kind, started, heartbeat) in [(1, "crawl", 120.0, 90.0), (2, "crawl", 120.0, 1.0), (3, "report", 120.0, 90.0)] {
            try db.execute(
                "INSERT INTO plain_runs (id, status, kind, started_at, heartbeat_at) VALUES (\(p(1)), 'running', \(p(2)), \(p(3)), \(p(4)))",
                [.integer(Int64(id)), .text(kind), .timestamp(fixture.ago(minutes: started)), .timestamp(fixture.ago(minutes: heartbeat))])
        }
        let config = try TaskWardenConfiguration.parse("table: {name: plain_runs, columns: {error: message}}\nstuck: {older_than: 10m}")
        #expect(!config.table.has(.startedAt))
        let database = try DatabaseDrivers.queue(try fixture.database.url)
        defer { database.close() }
        try database.withTaskRuns(table: config.table, actor: "tester") { (runs: TaskRuns) throws in
            #expect(runs.table.columns[.startedAt]?.name == "started_at")
            #expect(runs.table.columns[.heartbeatAt]?.name == "heartbeat_at")
            #expect(runs.table.columns[.finishedAt]?.name == "finished_at")
            #expect(runs.table.columns[.kind]?.name == "kind")
            #expect(runs.table.columns[.error]?.name == "message")
            #expect(runs.table.columns[.message] == nil, "message is the error role's column already")
            #expect(!runs.table.has(.worker))
            // The heartbeat is read: run 2 is alive; --kind filters.
            #expect(try runs.findStuck(policy: config.stuck).map { Int64.fromDatabaseValue($0.id) } == [1, 3])
            #expect(try runs.findStuck(policy: config.stuck, kind: "report").map { Int64.fromDatabaseValue($0.id) } == [3])
            #expect(try runs.recover(RecoverOptions(policy: config.stuck)).changed.count(in: "plain_runs") == 2)
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM plain_runs WHERE finished_at IS NOT NULL AND message LIKE 'stuck%'") == 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM plain_runs WHERE error IS NOT NULL") == 0)
    }

    @Test("a table without a started_at column, and no mapping for it, is refused naming the column", arguments: TestBackend.allCases)
    func requiredStillRequired(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        try fixture.connection.execute("CREATE TABLE bare_runs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, begun TIMESTAMP NULL)", [])
        let config = try TaskWardenConfiguration.parse("table: {name: bare_runs}")
        let database = try DatabaseDrivers.queue(try fixture.database.url)
        defer { database.close() }
        let error = try #require(throws: TaskTableError.self) {
            try database.withTaskRuns(table: config.table) { _ in }
        }
        #expect(error.kind == .missingColumn(.startedAt, table: "bare_runs"))
    }
}
