import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// Recover through the dashboard: preview, the guards on the confirmation, the change and its
/// journal entry, on all three backends.
@Suite("dashboard recover")
struct DashboardRecoverTests {
    typealias Fixture = DashboardFixture
    static let sameSite: HTTPFields = [Fixture.fetchSite: "same-origin"]

    @Test("the preview shows the count, the runs escaped and the SQL, and changes nothing; viewers get 403 for it and for the change", arguments: TestBackend.allCases)
    func previewAndRoles(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try await fixture.withClient { client in
            let operatorCookie = try await client.signIn(Fixture.adminToken)
            let stuck = try await client.get("/ui/stuck", headers: [.cookie: operatorCookie])
            #expect(stuck.text.contains("href=\"/ui/recover?table=task_runs\""), "operators get the way to recover")
            let preview = try await client.get("/ui/recover", headers: [.cookie: operatorCookie])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<strong>1</strong> runs are stuck"))
            #expect(preview.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!preview.text.contains(Fixture.hostileKind))
            #expect(preview.text.contains("UPDATE"), "the SQL is shown")
            #expect(!preview.text.contains(fixture.migrated.urlString))
            #expect(preview.hidden("form_token")?.count == 64)

            let viewerCookie = try await client.signIn(Fixture.readToken)
            let viewerStuck = try await client.get("/ui/stuck", headers: [.cookie: viewerCookie])
            #expect(!viewerStuck.text.contains("/ui/recover"), "viewers are not offered the action")
            let status1 = try await client.get("/ui/recover", headers: [.cookie: viewerCookie]).status
            #expect(status1 == .forbidden)
            let status2 = try await client.get("/ui/recover", token: Fixture.readToken).status
            #expect(status2 == .forbidden)
            // The role is checked first: whatever the form token, a viewer's change is refused.
            let viewerToken = String(repeating: "0", count: 64)
            var headers = Self.sameSite
            headers[.cookie] = viewerCookie
            let refused = try await client.request(.post, "/ui/recover", headers: headers, form: "form_token=\(viewerToken)&count=1&reason=r")
            #expect(refused.status == .forbidden, "the server enforces the role, not only the page")
            let status3 = try await client.request(.post, "/ui/recover", headers: Self.sameSite, form: "count=1&reason=r").status
            #expect(status3 == .unauthorized)
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'running'") == 1, "nothing changed")
    }

    @Test(
        "the change needs the session's form token, a same-site request, the count typed as it is now, and a reason; then it recovers and journals with the actor",
        arguments: TestBackend.allCases)
    func confirmGuards(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let stuckID = fixture.stuckID
        try await fixture.withClient { client in
            let cookie = try await client.signIn(Fixture.adminToken)
            let preview = try await client.get("/ui/recover", headers: [.cookie: cookie])
            let token = try #require(preview.hidden("form_token"))
            var headers = Self.sameSite
            headers[.cookie] = cookie
            func post(_ form: String, headers: HTTPFields = headers) async throws -> DashboardFixture.Reply {
                try await client.request(.post, "/ui/recover", headers: headers, form: form)
            }
            let good = "form_token=\(token)&table=task_runs&to=failed&count=1&reason=worker+died&actor=alice"
            let status4 = try await post("table=task_runs&count=1&reason=worker+died").status
            #expect(status4 == .forbidden, "no form token")
            let status5 = try await post(good.replacingOccurrences(of: token, with: String(repeating: "0", count: 64))).status
            #expect(status5 == .forbidden, "another token")
            var crossSite = headers
            crossSite[Fixture.fetchSite] = "cross-site"
            let status6 = try await post(good, headers: crossSite).status
            #expect(status6 == .forbidden, "a cross-site request")
            var otherOrigin: HTTPFields = [.cookie: cookie, .origin: "http://evil.example"]
            otherOrigin[.contentType] = "application/x-www-form-urlencoded"
            let status7 = try await post(good, headers: otherOrigin).status
            #expect(status7 == .forbidden, "another origin")
            let wrongCount = try await post(good.replacingOccurrences(of: "count=1", with: "count=2"))
            #expect(wrongCount.status == .conflict)
            #expect(wrongCount.text.contains("You typed 2, but 1 runs are stuck now"))
            let status8 = try await post(good.replacingOccurrences(of: "reason=worker+died", with: "reason=+")).status
            #expect(status8 == .badRequest, "no reason")
            let stillStuck = try await client.get("/ui/stuck", headers: [.cookie: cookie])
            #expect(stillStuck.text.contains("id=\(stuckID)\">"), "nothing changed yet")

            let started = try await post(good)
            #expect(started.status == .seeOther, "\(started.text)")
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/ui/operation?id="))
            let done = try await client.waitForOperation(location, cookie: cookie)
            #expect(done.contains("Done: 1 runs changed."), "\(done)")
            #expect(done.contains("taskwarden undo --batch"))
            #expect(!done.contains("left alone"), "nothing was skipped, and the page does not say 0 were")
            #expect(!done.contains("action=\"/ui/operation/cancel\""), "nothing left to cancel")
            let after = try await client.get("/ui/recover", headers: [.cookie: cookie])
            #expect(after.text.contains("<strong>0</strong> runs are stuck. Nothing"), "no kind or age was asked, and none is named")
            #expect(!after.text.contains("action=\"/ui/recover\""), "nothing to confirm, no form")
        }
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(stuckID)") == "failed")
        let entry = try #require(try TaskRuns(connection: db).journal(limit: 5).first { $0.runID == stuckID })
        #expect(entry.actor == "ui:alice")
        #expect(entry.reason == "worker died")
        #expect(entry.operation == .recover)
    }

    @Test("a confirmed recover runs as an operation that the cancel button stops between batches, the batches done staying journaled; viewers may watch it, not cancel it", arguments: TestBackend.allCases)
    func cancel(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, changeBatchSize: 1)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        let many = 500
        try db.execute(
            "INSERT INTO task_runs (kind, status, started_at) VALUES " + (1...many).map { "('bulk', 'running', \(p($0)))" }.joined(separator: ", "),
            Array(repeating: old, count: many))
        // Another session keeps the journal from being written (reads still go), so the
        // operation's first batch waits until the cancel is in: however fast 500 batches are,
        // the cancel is not too late. The preview, which only reads, is not held up.
        let blocker = try WriteLockHolder(try fixture.migrated.database.connect(), backend: backend)
        defer { blocker.close() }
        let operationText = try await fixture.withClient { client in
            let cookie = try await client.signIn(Fixture.adminToken)
            let preview = try await client.get("/ui/recover?kind=bulk", headers: [.cookie: cookie])
            // Its SQL is that of the first 3 of its 500 batches, and says so: a preview does not
            // walk every batch of a change.
            #expect(preview.text.contains("The SQL of the first 3 batches"), "\(preview.text)")
            #expect(preview.text.contains("-- … and 497 more batches like these: "), "\(preview.text)")
            let token = try #require(preview.hidden("form_token"))
            var headers = Self.sameSite
            headers[.cookie] = cookie
            let started = try await client.request(
                .post, "/ui/recover", headers: headers, form: "form_token=\(token)&table=task_runs&kind=bulk&count=\(many)&reason=cancel+test")
            let location = try #require(started.headers[.location])
            let id = String(location.dropFirst("/ui/operation?id=".count))
            let tokenless = try await client.request(.post, "/ui/operation/cancel", headers: headers, form: "id=\(id)")
            #expect(tokenless.status == .forbidden, "no form token")
            // Cancelled at once, while its 500 batches of one run each are under way.
            let cancelled = try await client.request(.post, "/ui/operation/cancel", headers: headers, form: "form_token=\(token)&id=\(id)")
            #expect(cancelled.status == .seeOther)
            let viewer = try await client.signIn(Fixture.readToken)
            let watching = try await client.get(location, headers: [.cookie: viewer])
            #expect(watching.status == .ok)
            #expect(!watching.text.contains("/ui/operation/cancel"), "viewers get no cancel button")
            var viewerHeaders = Self.sameSite
            viewerHeaders[.cookie] = viewer
            let viewerCancel = try await client.request(.post, "/ui/operation/cancel", headers: viewerHeaders, form: "form_token=\(token)&id=\(id)")
            #expect(viewerCancel.status == .forbidden)
            try blocker.release()
            return try await client.waitForOperation(location, cookie: cookie)
        }
        let stopped = try #require(operationText.firstMatch(of: /Stopped at your request after (\d+) of 500 runs/), "\(operationText)")
        let changed = try #require(Int(stopped.1))
        #expect(changed < many)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'bulk' AND status = 'failed'") == changed)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'bulk' AND status = 'running'") == many - changed)
    }

    @Test("a script with the admin token needs no form token (browsers never send bearer tokens by themselves); taskwarden serve has no action page", arguments: [TestBackend.sqlite])
    func bearerAndReadOnly(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        try await fixture.withClient { client in
            let reply = try await client.request(.post, "/ui/recover", token: Fixture.adminToken, form: "count=1&reason=scripted")
            #expect(reply.status == .seeOther)
        }
        let readOnly = try await Fixture(backend, actions: false)
        defer { readOnly.close() }
        try await readOnly.withClient { client in
            let status9 = try await client.get("/ui/recover", token: Fixture.adminToken).status
            #expect(status9 == .notFound)
            let status10 = try await client.request(.post, "/ui/recover", token: Fixture.adminToken, form: "count=1&reason=x").status
            #expect(status10 == .notFound)
            let text11 = try await client.get("/ui/stuck", token: Fixture.adminToken).text.contains("/ui/recover")
            #expect(!text11)
        }
    }
}

/// A session of the test's own that lets others read the journal but not write it, until
/// ``release()``: PostgreSQL `LOCK TABLE ... IN SHARE MODE`, MySQL `LOCK TABLES ... READ`,
/// SQLite the database's write lock (`BEGIN IMMEDIATE`).
///
/// Unchecked: the test uses it from one task at a time, first to take the lock, then, inside
/// the client's closure, to let it go.
final class WriteLockHolder: @unchecked Sendable {
    let connection: any DatabaseConnection
    let backend: TestBackend

    init(_ connection: any DatabaseConnection, backend: TestBackend) throws {
        self.connection = connection
        self.backend = backend
        switch backend {
        case .postgresql:
            try connection.execute("BEGIN", [])
            try connection.execute("LOCK TABLE task_run_events IN SHARE MODE", [])
        case .mysql:
            try connection.execute("LOCK TABLES task_run_events READ", [])
        case .sqlite:
            try connection.execute("BEGIN IMMEDIATE", [])
        }
    }

    func release() throws { try connection.execute(backend == .mysql ? "UNLOCK TABLES" : "COMMIT", []) }

    func close() { connection.close() }
}
