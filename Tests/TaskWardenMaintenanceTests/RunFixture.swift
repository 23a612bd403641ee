import Foundation
import TaskWarden
import TaskWardenTestSupport

/// A migrated database of its own, and helpers to put runs in `task_runs` at times relative
/// to the database's clock.
struct RunFixture {
    let database: IsolatedDatabase
    let connection: any DatabaseConnection
    let now: Timestamp

    init(_ backend: TestBackend) throws {
        database = try IsolatedDatabase.create(backend)
        connection = try database.connect()
        let url = try database.url
        _ = try Migrator(
            connection: connection, set: try MigrationSet.builtIn(for: connection.dialect),
            openLockConnection: { try DatabaseDrivers.connect(url) }
        ).up()
        now = try DatabaseClock.now(on: connection)
    }

    var runs: TaskRuns { TaskRuns(connection: connection, actor: "tester") }

    /// `minutes` ago by the database's clock.
    func ago(minutes: Double) -> Timestamp { now.adding(seconds: -minutes * 60) }

    /// Inserts a run and returns its id.
    @discardableResult
    func insert(
        kind: String = "job", status: String = "running", startedMinutesAgo: Double? = 120, heartbeatMinutesAgo: Double? = nil,
        attempt: Int = 1, maxAttempts: Int = 3, finishedMinutesAgo: Double? = nil
    ) throws -> Int64 {
        let p = connection.dialect.placeholder
        let values: [DatabaseValue] = [
            .text(kind), .text(status), startedMinutesAgo.map { .timestamp(ago(minutes: $0)) } ?? .null,
            heartbeatMinutesAgo.map { .timestamp(ago(minutes: $0)) } ?? .null, .integer(Int64(attempt)), .integer(Int64(maxAttempts)),
            finishedMinutesAgo.map { .timestamp(ago(minutes: $0)) } ?? .null, .text("worker-1"),
        ]
        try connection.execute(
            "INSERT INTO task_runs (kind, status, started_at, heartbeat_at, attempt, max_attempts, finished_at, worker) VALUES (\((1...8).map(p).joined(separator: ", ")))",
            values)
        return try connection.queryValue(Int64.self, "SELECT MAX(id) FROM task_runs")
    }

    func status(of id: Int64) throws -> String {
        try connection.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(connection.dialect.placeholder(1))", [.integer(id)])
    }

    func row(_ id: Int64) throws -> Row {
        try connection.queryFirst("SELECT * FROM task_runs WHERE id = \(connection.dialect.placeholder(1))", [.integer(id)])!
    }

    func journalCount(batch: String? = nil) throws -> Int {
        if let batch {
            return try connection.queryValue(
                Int.self, "SELECT COUNT(*) FROM task_run_events WHERE batch_id = \(connection.dialect.placeholder(1))", [.text(batch)])
        }
        return try connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events")
    }

    func close() {
        connection.close()
        database.drop()
    }
}
