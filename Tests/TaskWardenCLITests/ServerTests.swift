import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing
import Yams

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `taskwarden watch --http`: metrics, health, and the admin API checked against
/// docs/openapi.yaml, on all three backends.
@Suite("taskwarden watch --http")
struct ServerTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    static let adminToken = "admin-token-0123456789abcdef"
    static let readToken = "read-token-0123456789abcdef"

    @Test("/metrics serves the documented series with the cycle's values; /healthz and /readyz answer; without a token there is no /api", arguments: TestBackend.allCases)
    func metricsAfterACycle(backend: TestBackend) async throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        for _ in 0..<3 { try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('sync', 'running', \(p(1)))", [old]) }
        for _ in 0..<2 { try db.execute("INSERT INTO task_runs (kind, status) VALUES ('sync', 'queued')", []) }
        let server = try start(database)
        defer { server.watcher.send(SIGKILL) }
        try await server.waitUntilServing()
        try await waitUntil("3 runs recovered") { try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") == 3 }
        // The cycle's metrics are recorded just after its changes commit.
        try await Task.sleep(for: .milliseconds(300))

        let (status, text) = try await server.get("/metrics")
        #expect(status == 200)
        let series = Self.series(text)
        #expect(series[#"taskwarden_runs_recovered_total{table="task_runs",status="failed"}"#] == 3, "\(text)")
        #expect(series[#"taskwarden_watch_leader{table="task_runs"}"#] == 1)
        #expect(series[#"taskwarden_runs{table="task_runs",status="queued"}"#] == 2)
        #expect(series[#"taskwarden_runs{table="task_runs",status="running"}"#] == 0)
        #expect(series[#"taskwarden_stuck_runs{table="task_runs"}"#] != nil)
        #expect((series[#"taskwarden_watch_cycle_duration_seconds_count{table="task_runs"}"#] ?? 0) >= 1)
        let lastSuccess = try #require(series[#"taskwarden_watch_last_success_timestamp_seconds{table="task_runs"}"#])
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 60)
        #expect(try await server.get("/healthz").status == 200)
        #expect(try await server.get("/readyz").status == 200)
        #expect(try await server.get("/api/stats", token: Self.adminToken).status == 404)
        server.watcher.send(SIGTERM)
        #expect(try server.watcher.wait(exitingWithin: .seconds(30)).status == 0)
    }

    @Test("every operation of docs/openapi.yaml answers as documented: 401 without a token, 403 for actions with the read token, the documented status and required properties with the admin token; a reset needs its preview's token", arguments: TestBackend.allCases)
    func adminAPIMatchesItsDocument(backend: TestBackend) async throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        for _ in 0..<4 { try db.execute("INSERT INTO task_runs (kind, status) VALUES ('publish', 'queued')", []) }
        let directory = try TemporaryDirectory.make()
        try Self.readToken.write(toFile: directory.appending("read.token"), atomically: true, encoding: .utf8)
        let server = try start(database, tokens: ["--read-token-file", directory.appending("read.token")])
        defer { server.watcher.send(SIGKILL) }
        try await server.waitUntilServing()

        let document = try #require(try Yams.load(yaml: String(contentsOfFile: Self.openAPIPath, encoding: .utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var checked = 0
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) where path.hasPrefix("/api/") {
            for (method, operation) in operations {
                let operation = try #require(operation as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any])
                let body = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])
                    .flatMap { ($0["application/json"] as? [String: Any])?["example"] }
                let bodyData = try body.map { try JSONSerialization.data(withJSONObject: $0) }
                let what = "\(method.uppercased()) \(path)"

                #expect(try await server.request(method, path, body: bodyData).status == 401, "\(what) without a token")
                let asReader = try await server.request(method, path, token: Self.readToken, body: bodyData)
                if method == "post" {
                    #expect(asReader.status == 403, "\(what) with the read token: \(asReader.text)")
                } else {
                    #expect(asReader.status == 200, "\(what) with the read token: \(asReader.text)")
                }
                let asAdmin = try await server.request(method, path, token: Self.adminToken, body: bodyData)
                #expect(responses.keys.contains(String(asAdmin.status)), "\(what): \(asAdmin.status) is not documented: \(asAdmin.text)")
                if asAdmin.status == 200 {
                    let json = try #require(try JSONSerialization.jsonObject(with: Data(asAdmin.text.utf8)) as? [String: Any], "\(what)")
                    let schemas = try Self.responseSchemas(responses["200"], in: document)
                    let matching = schemas.contains { schema in ((schema["required"] as? [String]) ?? []).allSatisfy { json[$0] != nil } }
                    #expect(matching, "\(what): \(asAdmin.text) lacks a documented required property")
                }
                checked += 1
            }
        }
        #expect(checked == 7)
        #expect(try await server.get("/api/stats?table=task_runs", token: Self.readToken).status == 200)
        let unknown = try await server.get("/api/stats?table=nope", token: Self.readToken)
        #expect(unknown.status == 400 && unknown.text.contains("not watched here"), "\(unknown.text)")

        // The reset example previewed queued publish runs: its token works once, for that request only.
        let reset = #"{"statuses":["queued"],"to":"cancelled","kinds":["publish"],"reason":"bad deploy","actor":"oncall"}"#
        let preview = try await server.request("post", "/api/reset", token: Self.adminToken, body: Data(reset.utf8))
        let token = try #require((try JSONSerialization.jsonObject(with: Data(preview.text.utf8)) as? [String: Any])?["confirm"] as? String)
        #expect((try JSONSerialization.jsonObject(with: Data(preview.text.utf8)) as? [String: Any])?["count"] as? Int == 4)
        let other = #"{"statuses":["queued"],"to":"failed","kinds":["publish"],"reason":"bad deploy","confirm":"\#(token)"}"#
        #expect(try await server.request("post", "/api/reset", token: Self.adminToken, body: Data(other.utf8)).status == 409)
        let confirmed = #"{"statuses":["queued"],"to":"cancelled","kinds":["publish"],"reason":"bad deploy","actor":"oncall","confirm":"\#(token)"}"#
        // The failed attempt used the token up: a confirmation needs a fresh preview.
        #expect(try await server.request("post", "/api/reset", token: Self.adminToken, body: Data(confirmed.utf8)).status == 409)
        let again = try await server.request("post", "/api/reset", token: Self.adminToken, body: Data(reset.utf8))
        let fresh = try #require((try JSONSerialization.jsonObject(with: Data(again.text.utf8)) as? [String: Any])?["confirm"] as? String)
        let done = try await server.request(
            "post", "/api/reset", token: Self.adminToken, body: Data(confirmed.replacingOccurrences(of: token, with: fresh).utf8))
        #expect(done.status == 200, "\(done.text)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'cancelled'") == 4)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE operation = 'reset' AND actor = 'api:oncall'") == 4)
        server.watcher.send(SIGTERM)
        #expect(try server.watcher.wait(exitingWithin: .seconds(30)).status == 0)
    }

    // MARK: - Fixture

    static var openAPIPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml").path
    }

    struct Server {
        let watcher: CommandRunner.RunningCommand
        let port: Int
        /// A session of its own: URLSession.shared pools connections per host across the tests
        /// running at once (the soak's watchers are on 127.0.0.1 too), and its queued requests
        /// waited behind them for minutes in CI.
        let session: URLSession = {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 30
            return URLSession(configuration: configuration)
        }()

        func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> (status: Int, text: String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method.uppercased()
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = body
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        func get(_ path: String, token: String? = nil) async throws -> (status: Int, text: String) {
            try await request("get", path, token: token)
        }

        func waitUntilServing() async throws {
            for _ in 0..<200 {
                if (try? await get("/healthz").status) == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the server never answered on port \(port)")
        }
    }

    private func start(_ database: IsolatedDatabase, tokens: [String] = []) throws -> Server {
        let port = try closedLoopbackPort()
        let watcher = try taskwarden.start(
            ["watch", "--every", "1s", "--lease", "3s", "--stuck-after", "10m", "--http", "127.0.0.1:\(port)", "--database", database.urlString] + tokens,
            environment: tokens.isEmpty ? [:] : ["TASKWARDEN_ADMIN_TOKEN": Self.adminToken])
        return Server(watcher: watcher, port: port)
    }

    private func waitUntil(_ what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<300 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what)")
    }

    /// `name{labels} value` lines of the Prometheus text format.
    static func series(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    /// The object schemas a documented response may have (its `oneOf` arms, `$ref`s resolved).
    static func responseSchemas(_ response: Any?, in document: [String: Any]) throws -> [[String: Any]] {
        func resolve(_ node: Any?) -> [String: Any]? {
            guard let node = node as? [String: Any] else { return nil }
            guard let reference = node["$ref"] as? String else { return node }
            var current: Any? = document
            for part in reference.dropFirst(2).split(separator: "/") { current = (current as? [String: Any])?[String(part)] }
            return resolve(current)
        }
        let schema = resolve(((resolve(response)?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"])
        guard let schema else { return [] }
        if let arms = schema["oneOf"] as? [Any] { return arms.compactMap(resolve) }
        return [schema]
    }
}
