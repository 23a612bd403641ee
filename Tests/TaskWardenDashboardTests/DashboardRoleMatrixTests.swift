import Foundation
import Hummingbird
import TaskWarden
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// Every dashboard endpoint against every caller: the roles are the server's, not the pages'.
@Suite("dashboard roles per endpoint")
struct DashboardRoleMatrixTests {
    typealias Fixture = DashboardFixture

    enum Caller: CaseIterable { case nobody, viewer, `operator` }

    /// An endpoint and what each caller gets. POSTs are sent same-site with the caller's own
    /// session form token, so only the role decides.
    struct Endpoint {
        let method: HTTPRequest.Method
        let path: String
        let form: String?
        let expected: [Caller: HTTPResponse.Status]
    }

    static func endpoints(_ fixture: Fixture) -> [Endpoint] {
        let ok: [Caller: HTTPResponse.Status] = [.nobody: .unauthorized, .viewer: .ok, .operator: .ok]
        let operatorOnly: [Caller: HTTPResponse.Status] = [.nobody: .unauthorized, .viewer: .forbidden, .operator: .ok]
        // The count typed is not the count: past every guard, refused for that alone (409), so
        // nothing changes and each caller sees the same table.
        let operatorChange: [Caller: HTTPResponse.Status] = [.nobody: .unauthorized, .viewer: .forbidden, .operator: .conflict]
        return [
            Endpoint(method: .get, path: "/ui/", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/stuck", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/runs", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/run?id=\(fixture.stuckID)", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/journal", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/retention?older_than=30d", form: nil, expected: ok),
            Endpoint(method: .get, path: "/ui/recover", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/recover", form: "count=999&reason=matrix", expected: operatorChange),
            // Every action of the one pipeline, each previewed and confirmed with a wrong count.
            Endpoint(method: .get, path: "/ui/reset?status=running", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/reset", form: "status=running&count=999&reason=matrix", expected: operatorChange),
            Endpoint(method: .get, path: "/ui/cancel?kind=victim", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/cancel", form: "kind=victim&count=999&reason=matrix", expected: operatorChange),
            Endpoint(method: .get, path: "/ui/delete?status=failed", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/delete", form: "status=failed&count=999&reason=matrix", expected: operatorChange),
            Endpoint(method: .get, path: "/ui/purge?older_than=30d", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/purge", form: "older_than=30d&count=999&reason=matrix", expected: operatorChange),
            Endpoint(method: .get, path: "/ui/undo?batch=\(fixture.recoveredBatch)", form: nil, expected: operatorOnly),
            Endpoint(method: .post, path: "/ui/undo", form: "batch=\(fixture.recoveredBatch)&count=999&reason=matrix", expected: operatorChange),
            Endpoint(
                method: .post, path: "/ui/operation/cancel", form: "id=no-such-operation",
                expected: [.nobody: .unauthorized, .viewer: .forbidden, .operator: .notFound]),
            Endpoint(method: .get, path: "/ui/operation?id=no-such-operation", form: nil, expected: [.nobody: .unauthorized, .viewer: .notFound, .operator: .notFound]),
            Endpoint(method: .get, path: "/ui/static/dashboard.js", form: nil, expected: [.nobody: .ok, .viewer: .ok, .operator: .ok]),
            Endpoint(method: .get, path: "/ui/static/icon.svg", form: nil, expected: [.nobody: .ok, .viewer: .ok, .operator: .ok]),
            Endpoint(method: .get, path: "/ui/login", form: nil, expected: [.nobody: .ok, .viewer: .seeOther, .operator: .seeOther]),
        ]
    }

    @Test("each endpoint answers each caller as the table says, by session cookie and by bearer token", arguments: TestBackend.allCases)
    func matrix(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let endpoints = Self.endpoints(fixture)
        try await fixture.withClient { client in
            let viewerCookie = try await client.signIn(Fixture.readToken)
            let operatorCookie = try await client.signIn(Fixture.adminToken)
            for endpoint in endpoints {
                for caller in Caller.allCases {
                    // Each credential the caller could carry: a browser's session, a script's token.
                    let credentials: [(cookie: String?, token: String?)] =
                        switch caller {
                        case .nobody: [(nil, nil)]
                        case .viewer: [(viewerCookie, nil), (nil, Fixture.readToken)]
                        case .operator: [(operatorCookie, nil), (nil, Fixture.adminToken)]
                        }
                    for (cookie, token) in credentials {
                        var headers: HTTPFields = [Fixture.fetchSite: "same-origin"]
                        var form = endpoint.form
                        if let cookie {
                            headers[.cookie] = cookie
                            // The session's own form token, so that only the role decides.
                            let value = try #require(DashboardSessions.cookie(in: cookie))
                            form = form.map { "form_token=\(fixture.dashboard.sessions.formToken(for: value))&" + $0 }
                        }
                        let reply = try await client.request(endpoint.method, endpoint.path, token: token, headers: headers, form: form)
                        let expected = try #require(endpoint.expected[caller])
                        #expect(
                            reply.status == expected,
                            "\(endpoint.method) \(endpoint.path) as \(caller) by \(cookie != nil ? "cookie" : token != nil ? "token" : "nothing")")
                    }
                }
            }
        }
    }
}
