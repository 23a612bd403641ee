import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard as the binary serves it: `taskwarden serve` (read-only, no watchdog) and
/// `taskwarden watch --http`, run as processes, on all three backends.
@Suite("taskwarden serve and the dashboard")
struct DashboardCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    static let readToken = "read-token-0123456789abcdef"
    static let adminToken = "admin-token-0123456789abcdef"

    @Test("serve without a token refuses to start: exit 2, one line naming the token options, no URL", arguments: [TestBackend.sqlite])
    func serveNeedsAToken(backend: TestBackend) throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let outcome = try taskwarden.run(["serve", "--http", "127.0.0.1:\(try closedLoopbackPort())", "--database", fixture.urlString])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("serve needs a token"))
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        #expect(!outcome.allOutput.contains(fixture.urlString))
    }

    @Test(
        "serve, started from another directory, serves every page from the binary alone to the read token, the sign-in page without it, the API's reads and no action",
        arguments: TestBackend.allCases)
    func serveIsReadOnly(backend: TestBackend) async throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("INSERT INTO task_runs (kind, status, error) VALUES ('<script>alert(1)</script>', 'queued', '<b>x</b>')", [])
        let id = try db.queryValue(Int.self, "SELECT MAX(id) FROM task_runs")
        let elsewhere = try TemporaryDirectory.make()
        let port = try closedLoopbackPort()
        let server = try taskwarden.start(
            ["serve", "--http", "127.0.0.1:\(port)", "--database", fixture.urlString], environment: ["TASKWARDEN_READ_TOKEN": Self.readToken],
            workingDirectory: elsewhere)
        defer { server.send(SIGKILL) }
        let http = HTTP(port: port)
        try await http.waitUntilServing()

        for page in ["/ui/", "/ui/stuck", "/ui/runs", "/ui/run?id=\(id)", "/ui/journal"] {
            let reply = try await http.request("GET", page, token: Self.readToken)
            #expect(reply.status == 200, "\(page): \(reply.text.prefix(300))")
            #expect(reply.text.contains("<link rel=\"stylesheet\" href=\"/ui/static/dashboard.css\">"), "\(page)")
            #expect(!reply.text.contains("<script>alert(1)"), "\(page)")
            #expect(try await http.request("GET", page).status == 401, "\(page)")
        }
        let overview = try await http.request("GET", "/ui/", token: Self.readToken)
        #expect(overview.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(overview.text.contains("<svg"))
        #expect(overview.text.contains("not run by this process"))
        #expect(overview.text.contains("<dt>Watchdog leader</dt><dd>unknown (no lease table") || overview.text.contains("no watchdog has led yet"))
        #expect(try await http.request("GET", "/ui/static/dashboard.js").status == 200)
        #expect(try await http.request("GET", "/api/stats", token: Self.readToken).status == 200)
        #expect(try await http.request("POST", "/api/recover", token: Self.readToken, body: Data("{}".utf8)).status == 404)
        #expect(try await http.request("GET", "/healthz").status == 200)
        server.send(SIGTERM)
        #expect(try server.wait(exitingWithin: .seconds(30)).status == 0)
    }

    @Test("watch --http shows the dashboard with the watchdog's state after a cycle; without a token there is none", arguments: TestBackend.allCases)
    func watchServesTheDashboard(backend: TestBackend) async throws {
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let port = try closedLoopbackPort()
        let watcher = try taskwarden.start(
            ["watch", "--every", "1s", "--lease", "3s", "--http", "127.0.0.1:\(port)", "--database", fixture.urlString],
            environment: ["TASKWARDEN_READ_TOKEN": Self.readToken])
        defer { watcher.send(SIGKILL) }
        let http = HTTP(port: port)
        try await http.waitUntilServing()
        var text = ""
        for _ in 0..<100 {
            text = try await http.request("GET", "/ui/", token: Self.readToken).text
            if text.contains("leader, last cycle") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.contains("leader, last cycle"), "\(text.prefix(2_000))")
        #expect(text.contains(", lease for "), "the lease row names the leader")
        watcher.send(SIGTERM)
        #expect(try watcher.wait(exitingWithin: .seconds(30)).status == 0)

        let bare = try closedLoopbackPort()
        let untokened = try taskwarden.start(["watch", "--every", "1s", "--http", "127.0.0.1:\(bare)", "--database", fixture.urlString])
        defer { untokened.send(SIGKILL) }
        let plain = HTTP(port: bare)
        try await plain.waitUntilServing()
        #expect(try await plain.request("GET", "/ui/").status == 404)
        #expect(try await plain.request("GET", "/ui/login").status == 404)
        untokened.send(SIGTERM)
        _ = try untokened.wait(exitingWithin: .seconds(30))
    }

    struct HTTP {
        let port: Int
        let session: URLSession = {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 30
            return URLSession(configuration: configuration)
        }()

        func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> (status: Int, text: String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = body
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        func waitUntilServing() async throws {
            for _ in 0..<200 {
                if (try? await request("GET", "/healthz").status) == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the server never answered on port \(port)")
        }
    }
}
