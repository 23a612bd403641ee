import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import TaskWarden
@testable import TaskWardenAdmin
@testable import TaskWardenDashboard
import TaskWardenTestSupport
import Testing

/// A migrated database of one backend, seeded with runs whose text is hostile markup, and the
/// admin server's routes (the dashboard mounted under /ui/ as `watch --http` mounts it), driven
/// in process through HummingbirdTesting.
final class DashboardFixture: @unchecked Sendable {
    static let adminToken = "admin-token-0123456789abcdef"
    static let readToken = "read-token-0123456789abcdef"
    /// What a run's kind, error, worker and a journal reason hold: run data is untrusted.
    static let hostileKind = "<script>alert(1)</script>"
    static let hostileError = "<script>alert(2)</script>"
    static let hostileWorker = "<img src=x onerror=alert(3)>"
    static let hostileReason = "<script>alert(4)</script>"

    let migrated: MigratedDatabase
    let access: ConnectionQueue
    /// The connection the dashboard's changes run on, as `watch --http` gives it one of their own.
    let changes: ConnectionQueue
    let server: AdminServer
    let dashboard: Dashboard
    let board = WatchdogBoard()

    /// The id of the stuck hostile run, and of the one a recovery journaled.
    private(set) var stuckID = ""
    private(set) var recoveredID = ""
    /// The journal batch of that recovery.
    private(set) var recoveredBatch = ""

    init(
        _ backend: TestBackend, tokens: AdminTokens = AdminTokens(admin: adminToken, reader: readToken), actions: Bool = true, changeBatchSize: Int? = nil,
        mapped: (create: String, configuration: String)? = nil, retention: RetentionPolicy = RetentionPolicy(), exactCountLimit: Int? = nil
    ) async throws {
        migrated = try MigratedDatabase(backend, runner: try CommandRunner())
        access = try await DatabaseDrivers.queue(try migrated.database.url)
        changes = try await DatabaseDrivers.queue(try migrated.database.url)
        var tables = [AdminServer.Table(table: .taskRuns, stuck: StuckPolicy(), retention: retention)]
        if let mapped {
            // A table of the application's own, mapped by a configuration: no hostile seed.
            try migrated.connection.execute(mapped.create, [])
            let configuration = try TaskWardenConfiguration.parse(mapped.configuration)
            tables = [AdminServer.Table(table: configuration.table, stuck: configuration.stuck)]
        }
        var dashboard = Dashboard(access: access, tables: tables, tokens: tokens, watchdogs: board, actions: actions, changes: changes)
        dashboard.changeBatchSize = changeBatchSize
        if let exactCountLimit { dashboard.exactCountLimit = exactCountLimit }
        self.dashboard = dashboard
        server = AdminServer(
            host: "127.0.0.1", port: 0, access: access, tables: tables, tokens: tokens, registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "test"), actions: actions, mounts: [dashboard])
        if mapped == nil { try seed() }
    }

    func close() {
        changes.close()
        access.close()
        migrated.close()
    }

    private func seed() throws {
        let db = migrated.connection
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        let insert = "INSERT INTO task_runs (kind, status, started_at, error, worker) VALUES (\(p(1)), 'running', \(p(2)), \(p(3)), \(p(4)))"
        for kind in [Self.hostileKind, "victim"] {
            try db.execute(insert, [.text(kind), old, .text(Self.hostileError), .text(Self.hostileWorker)])
        }
        stuckID = String(try db.queryValue(Int.self, "SELECT MIN(id) FROM task_runs"))
        recoveredID = String(try db.queryValue(Int.self, "SELECT MAX(id) FROM task_runs"))
        let recover = RecoverOptions(policy: StuckPolicy(), kind: "victim", target: .failed, reason: Self.hostileReason)
        recoveredBatch = try #require(try TaskRuns(connection: db, table: .taskRuns, actor: Self.hostileWorker).recover(recover).batchID)
    }

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String

        /// The session cookie a sign-in set, as a `Cookie` header value.
        var cookie: String? { headers[.setCookie].map { String($0.prefix { $0 != ";" }) } }

        /// The value of the hidden form field `name`.
        func hidden(_ name: String) -> String? {
            guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// Sends requests to the server's router, no network in between.
    @discardableResult
    func withClient<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        let app = Application(router: server.router())
        return try await app.test(.router) { client in try await body(Client(client: client)) }
    }

    struct Client: Sendable {
        let client: any TestClientProtocol

        func request(
            _ method: HTTPRequest.Method, _ path: String, token: String? = nil, headers: HTTPFields = [:], form: String? = nil
        ) async throws -> Reply {
            var headers = headers
            if let token { headers[.authorization] = "Bearer \(token)" }
            if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            return try await client.execute(uri: path, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) }) { response in
                Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
            }
        }

        func get(_ path: String, token: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
            try await request(.get, path, token: token, headers: headers)
        }

        /// Follows a change's operation page until it is no longer running; its last text.
        func waitForOperation(_ location: String, cookie: String) async throws -> String {
            for _ in 0..<300 {
                let page = try await get(location, headers: [.cookie: cookie])
                if !page.text.contains(", running.") { return page.text }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the operation at \(location) never ended")
            return ""
        }

        /// Signs in as a browser does, from the dashboard's own page; the session's cookie.
        func signIn(_ token: String) async throws -> String {
            let reply = try await request(.post, "/ui/login", headers: [DashboardFixture.fetchSite: "same-origin"], form: "token=\(token)")
            return try #require(reply.cookie)
        }
    }

    static let fetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!

    /// Every page a viewer sees, with the hostile runs in it.
    var pages: [String] {
        ["/ui/", "/ui/stuck", "/ui/runs", "/ui/runs?kind=%3Cscript%3Ealert%281%29%3C%2Fscript%3E", "/ui/run?id=\(stuckID)", "/ui/run?id=\(recoveredID)", "/ui/journal", "/ui/retention?older_than=1d"]
    }
}
