import Foundation
import TaskWarden
import TaskWardenTestSupport

/// A migrated database of its own, a pool, and queued runs to work on.
struct WorkerFixture {
    let database: IsolatedDatabase
    let admin: any DatabaseConnection

    init(_ backend: TestBackend) throws {
        database = try IsolatedDatabase.create(backend)
        admin = try database.connect()
        let url = try database.url
        _ = try Migrator(connection: admin, set: try MigrationSet.builtIn(for: admin.dialect), openLockConnection: { try DatabaseDrivers.connect(url) }).up()
    }

    func pool(parameters: String = "", options: ConnectionPool.Options = ConnectionPool.Options()) throws -> ConnectionPool {
        let separator = database.urlString.contains("?") ? "&" : "?"
        let url = try DatabaseURL(parsing: database.urlString + (parameters.isEmpty ? "" : separator + parameters))
        return DatabaseDrivers.pool(url, options: options)
    }

    /// Inserts `count` queued runs and returns their ids.
    func queued(_ count: Int, kind: String = "job") throws -> [DatabaseValue] {
        let p = admin.dialect.placeholder
        return try admin.inTransaction { db in
            try (0..<count).map { _ in
                try db.execute("INSERT INTO task_runs (kind, status, max_attempts) VALUES (\(p(1)), 'queued', 3)", [.text(kind)])
                return .integer(try db.queryValue(Int64.self, "SELECT MAX(id) FROM task_runs"))
            }
        }
    }

    func status(_ id: DatabaseValue) throws -> String {
        try admin.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(admin.dialect.placeholder(1))", [id])
    }

    /// The server's id for the fixture's own session, which fault injection spares.
    func sessionID() throws -> Int64 {
        switch database.backend {
        case .postgresql: try admin.queryValue(Int64.self, "SELECT pg_backend_pid()")
        case .mysql: try admin.queryValue(Int64.self, "SELECT CONNECTION_ID()")
        case .sqlite: 0
        }
    }

    /// Kills every other session to this database (PostgreSQL, MySQL), as a server or network would.
    func killOtherSessions() throws -> Int {
        switch database.backend {
        case .postgresql:
            return try admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", []
            ).count
        case .mysql:
            let ids = try admin.query("SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()", [])
                .map { try $0.decode(Int64.self, "id") }
            for id in ids { _ = try? admin.execute("KILL CONNECTION \(id)", []) }
            return ids.count
        case .sqlite:
            return 0
        }
    }

    func close() {
        admin.close()
        database.drop()
    }
}
