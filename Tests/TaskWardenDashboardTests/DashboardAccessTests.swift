import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// Who may see what: tokens, the session cookie, cross-site sign-ins, and the headers every
/// page carries, on all three backends.
@Suite("dashboard access")
struct DashboardAccessTests {
    typealias Fixture = DashboardFixture

    @Test("with no token configured the dashboard does not exist (404), like /api/", arguments: TestBackend.allCases)
    func noTokenNoDashboard(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, tokens: AdminTokens(admin: nil, reader: nil))
        defer { fixture.close() }
        let pages = fixture.pages + ["/ui/login", "/ui/static/dashboard.js"]
        try await fixture.withClient { client in
            for page in pages {
                let status = try await client.get(page).status
                #expect(status == .notFound, "\(page)")
            }
            let signIn = try await client.request(.post, "/ui/login", form: "token=\(Fixture.readToken)")
            #expect(signIn.status == .notFound)
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
        }
    }

    @Test("without credentials or with a wrong token or a forged cookie, every page is the sign-in page (401) and shows no run", arguments: TestBackend.allCases)
    func anonymousSeesOnlyTheSignIn(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let pages = fixture.pages
        try await fixture.withClient { client in
            for page in pages {
                for reply in [
                    try await client.get(page), try await client.get(page, token: "wrong-token-0123456789abcdef"),
                    try await client.get(page, headers: [.cookie: "\(DashboardSessions.cookieName)=admin.99999999999.x.\(String(repeating: "0", count: 64))"]),
                ] {
                    #expect(reply.status == .unauthorized, "\(page)")
                    #expect(reply.text.contains("action=\"/ui/login\""))
                    #expect(!reply.text.contains("alert("), "\(page) shows run data to an anonymous caller")
                }
            }
        }
    }

    @Test("a sign-in from the dashboard's own page sets a signed HttpOnly SameSite=Strict cookie that opens every page; a cross-site one is refused", arguments: TestBackend.allCases)
    func signIn(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let pages = fixture.pages
        try await fixture.withClient { client in
            let crossSite = try await client.request(.post, "/ui/login", headers: [Self.fetchSite: "cross-site"], form: "token=\(Fixture.readToken)")
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.headers[.setCookie] == nil)
            let otherOrigin = try await client.request(.post, "/ui/login", headers: [.origin: "http://evil.example"], form: "token=\(Fixture.readToken)")
            #expect(otherOrigin.status == .forbidden)
            let wrong = try await client.request(.post, "/ui/login", headers: [Self.fetchSite: "same-origin"], form: "token=wrong-token-0123456789")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)

            let signedIn = try await client.request(.post, "/ui/login", headers: [Self.fetchSite: "same-origin"], form: "token=\(Fixture.readToken)")
            #expect(signedIn.status == .seeOther)
            let setCookie = try #require(signedIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/ui"))
            #expect(!setCookie.contains(Fixture.readToken), "the cookie does not carry the token")
            let cookie = String(setCookie.prefix { $0 != ";" })
            for page in pages {
                let reply = try await client.get(page, headers: [.cookie: cookie])
                #expect(reply.status == .ok, "\(page)")
                #expect(reply.text.contains("viewer (read token, read-only)"))
            }
            // An altered cookie (the role changed) is refused.
            let forged = cookie.replacingOccurrences(of: "=reader.", with: "=admin.")
            #expect(try await client.get("/ui/", headers: [.cookie: forged]).status == .unauthorized)
            let signedOut = try await client.request(.post, "/ui/logout", headers: [Self.fetchSite: "same-origin", .cookie: cookie])
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.request(.post, "/ui/logout", headers: [Self.fetchSite: "cross-site", .cookie: cookie]).status == .forbidden)
        }
    }

    @Test("every dashboard response forbids framing and inline script, and no page holds a token or the database URL", arguments: TestBackend.allCases)
    func headersAndSecrets(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let pages = fixture.pages + ["/ui/static/dashboard.css", "/ui/static/dashboard.js"]
        let url = fixture.migrated.urlString
        let password = "tw-test-pw"
        try await fixture.withClient { client in
            for page in pages {
                for token in [Fixture.readToken, Fixture.adminToken] {
                    let reply = try await client.get(page, token: token)
                    #expect(reply.status == .ok, "\(page)")
                    let policy = try #require(reply.headers[.contentSecurityPolicy], "\(page)")
                    #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"))
                    #expect(reply.headers[DashboardGuard.HeaderName("X-Frame-Options")!] == "DENY")
                    #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                    for secret in [Fixture.readToken, Fixture.adminToken, url, password] {
                        #expect(!reply.text.contains(secret), "\(page) shows a secret")
                    }
                }
            }
            let operatorPage = try await client.get("/ui/", token: Fixture.adminToken)
            #expect(operatorPage.text.contains("operator (admin token)"))
            let signIn = try await client.get("/ui/login")
            #expect(signIn.status == .ok)
            #expect(signIn.headers[.contentSecurityPolicy] != nil)
            #expect(try await client.get("/ui/login", token: Fixture.readToken).status == .seeOther, "a signed-in viewer goes to the overview")
        }
    }

    @Test("taskwarden serve's server has the reads of /api/ and no action", arguments: [TestBackend.sqlite])
    func readOnlyAPI(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, actions: false)
        defer { fixture.close() }
        try await fixture.withClient { client in
            #expect(try await client.get("/api/stats", token: Fixture.adminToken).status == .ok)
            #expect(try await client.get("/ui/", token: Fixture.adminToken).status == .ok)
            for action in ["recover", "reset", "cancel", "undo"] {
                let reply = try await client.request(.post, "/api/\(action)", token: Fixture.adminToken, headers: [.contentType: "application/json"])
                #expect(reply.status == .notFound, "\(action)")
            }
        }
    }

    static let fetchSite = DashboardGuard.HeaderName("Sec-Fetch-Site")!
}
