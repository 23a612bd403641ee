import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// The one change pipeline for reset, cancel, delete, purge and undo (recover has its own
/// suite): each previews the count, the runs and the SQL, takes the typed count and a reason,
/// runs as an operation through AdminActions, and journals with the actor; on all three backends.
@Suite("dashboard change pipeline")
struct DashboardChangeTests {
    typealias Fixture = DashboardFixture

    /// A browser session of the operator on one fixture: previews, confirms, follows operations.
    struct Operator {
        let client: Fixture.Client
        let cookie: String

        var headers: HTTPFields { [Fixture.fetchSite: "same-origin", .cookie: cookie] }

        func preview(_ path: String) async throws -> Fixture.Reply {
            try await client.get(path, headers: [.cookie: cookie])
        }

        /// Posts the confirmation of the preview at `path` with `fields` (the preview's hidden
        /// fields and form token first).
        func confirm(_ path: String, _ fields: String) async throws -> Fixture.Reply {
            let preview = try await preview(path)
            let action = String(path.prefix { $0 != "?" })
            var form = "form_token=\(try #require(preview.hidden("form_token")))"
            for name in ["table", "ids", "status", "kind", "older_than", "batch", "archive"] {
                if let value = preview.hidden(name) { form += "&\(name)=\(DashboardForm.encode(Self.unescape(value)))" }
            }
            return try await client.request(.post, action, headers: headers, form: form + "&" + fields)
        }

        /// Confirms and follows the operation to its end: its page's last text.
        func run(_ path: String, _ fields: String) async throws -> String {
            let started = try await confirm(path, fields)
            #expect(started.status == .seeOther, "\(started.text)")
            return try await client.waitForOperation(try #require(started.headers[.location]), cookie: cookie)
        }

        static func unescape(_ html: String) -> String {
            html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    static func batch(in text: String) throws -> String {
        try #require(text.firstMatch(of: /undo --batch ([0-9a-z-]+)/)).1.description
    }

    @Test("reset of ticked runs: preview, 409 on a count that is not the count, 400 without a reason, then the reset journaled with the actor", arguments: TestBackend.allCases)
    func resetTicked(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let stuckID = fixture.stuckID
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let path = "/ui/reset?table=task_runs&status=running&id=\(stuckID)&id=\(fixture.recoveredID)"
            let preview = try await op.preview(path)
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(preview.text.contains("<strong>1</strong> runs match among the 2 runs ticked"), "the failed one is not running: \(preview.text)")
            #expect(preview.text.contains("UPDATE"), "the SQL")
            #expect(preview.text.contains("taskwarden reset --show-sql"))
            #expect(preview.text.contains("&lt;the reason you give&gt;"), "the script shows where the reason goes")
            #expect(preview.hidden("ids") == "\(stuckID),\(fixture.recoveredID)")
            let wrong = try await op.confirm(path, "to=queued&count=2&reason=stuck+worker")
            #expect(wrong.status == .conflict)
            #expect(wrong.text.contains("You typed 2, but 1 runs match now"))
            let status1 = try await op.confirm(path, "to=queued&count=1&reason=+").status
            #expect(status1 == .badRequest)
            #expect(try fixture.migrated.connection.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(stuckID)") == "running", "nothing changed yet")
            let done = try await op.run(path, "to=queued&count=1&reason=stuck+worker&actor=bob")
            #expect(done.contains("Reset 1 runs to queued"))
            #expect(done.contains("Done: 1 runs changed."), "\(done)")
            #expect(done.contains("href=\"/ui/undo?table=task_runs&amp;batch="), "the way to undo it")
        }
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(stuckID)") == "queued")
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(fixture.recoveredID)") == "failed", "not ticked as running")
        let entry = try #require(try TaskRuns(connection: db).journal(limit: 10).last)
        #expect(entry.operation == .reset)
        #expect(entry.actor == "ui:bob")
        #expect(entry.reason == "stuck worker")
        #expect(entry.runID == stuckID)
    }

    @Test("cancel of every queued run of a kind asks each to stop once, journaled", arguments: TestBackend.allCases)
    func cancelKind(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try db.execute("INSERT INTO task_runs (kind, status) VALUES ('mail', 'queued'), ('mail', 'queued'), ('mail', 'queued'), ('other', 'queued')", [])
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let preview = try await op.preview("/ui/cancel?table=task_runs&kind=mail")
            #expect(preview.text.contains("<strong>3</strong> queued or running runs match"), "\(preview.text)")
            let done = try await op.run("/ui/cancel?table=task_runs&kind=mail", "count=3&reason=mail+outage")
            #expect(done.contains("Done: 3 runs changed."), "\(done)")
            let again = try await op.preview("/ui/cancel?table=task_runs&kind=mail")
            #expect(again.text.contains("<strong>0</strong> queued or running runs match"), "asked already: not again")
            let refused = try await op.preview("/ui/cancel?table=task_runs&status=succeeded")
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("Only queued and running runs can be asked to stop"))
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'mail' AND cancel_requested_at IS NOT NULL") == 3)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'other' AND cancel_requested_at IS NOT NULL") == 0)
        let entries = try TaskRuns(connection: db).journal(limit: 100).filter { $0.operation == .cancel }
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.actor == "ui:operator" && $0.reason == "mail outage" })
    }

    @Test("delete into an archive table, then its undo from the journal page puts the runs back", arguments: TestBackend.allCases)
    func deleteAndUndo(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-02 00:00:00")))
        try db.execute(
            "INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES " + (0..<4).map { "('report', 'succeeded', \(p(2 * $0 + 1)), \(p(2 * $0 + 2)))" }.joined(separator: ", "),
            Array(repeating: old, count: 8))
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let path = "/ui/delete?table=task_runs&kind=report&archive=report_archive"
            let preview = try await op.preview(path)
            #expect(preview.text.contains("<strong>4</strong> finished runs match"), "\(preview.text)")
            #expect(preview.text.contains("DELETE"))
            let done = try await op.run(path, "count=4&reason=old+reports")
            #expect(done.contains("Delete 4 finished runs into report_archive"))
            #expect(done.contains("Done: 4 runs changed."), "\(done)")
            let batch = try Self.batch(in: done)
            #expect(try fixture.migrated.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'report'") == 0)

            let journal = try await op.preview("/ui/journal?table=task_runs")
            #expect(journal.text.contains("<td>delete</td><td>4</td><td>ui:operator</td><td>old reports</td>"), "the batch: what, how many, who, why")
            #expect(journal.text.contains("href=\"/ui/undo?table=task_runs&amp;batch=\(batch)\""))
            let undo = try await op.preview("/ui/undo?table=task_runs&batch=\(batch)")
            #expect(undo.text.contains("<strong>4</strong> runs of the batch would go back"), "\(undo.text)")
            #expect(!undo.text.contains("moved on since"))
            let undone = try await op.run("/ui/undo?table=task_runs&batch=\(batch)", "count=4&reason=wrong+kind")
            #expect(undone.contains("Done: 4 runs changed."), "\(undone)")
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'report' AND status = 'succeeded'") == 4)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM report_archive") == 0)
    }

    @Test("the undo preview names the runs that moved on since the batch and leaves them alone", arguments: TestBackend.allCases)
    func undoLeavesMovedOn(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try db.execute("INSERT INTO task_runs (kind, status) VALUES ('batchy', 'queued'), ('batchy', 'queued')", [])
        let first = try db.queryValue(Int.self, "SELECT MIN(id) FROM task_runs WHERE kind = 'batchy'")
        let second = try db.queryValue(Int.self, "SELECT MAX(id) FROM task_runs WHERE kind = 'batchy'")
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let done = try await op.run("/ui/reset?table=task_runs&kind=batchy&status=queued", "to=cancelled&count=2&reason=drain")
            let batch = try Self.batch(in: done)
            // A worker (or someone) moves the first on after the batch.
            try fixture.migrated.connection.execute("UPDATE task_runs SET status = 'succeeded' WHERE id = \(first)", [])
            let path = "/ui/undo?table=task_runs&batch=\(batch)"
            let preview = try await op.preview(path)
            #expect(preview.text.contains("<strong>1</strong> runs of the batch would go back"), "\(preview.text)")
            #expect(preview.text.contains("1 runs of the batch moved on since"))
            let leftAlone = try #require(preview.text.range(of: "class=\"left-alone\"").map { String(preview.text[$0.lowerBound...]) })
            #expect(leftAlone.contains(">\(first)</a></td><td>succeeded</td><td>the batch set cancelled</td>"), "\(leftAlone)")
            let wrong = try await op.confirm(path, "count=2&reason=undo")
            #expect(wrong.status == .conflict)
            let undone = try await op.run(path, "count=1&reason=undo+drain")
            #expect(undone.contains("Done: 1 runs changed; 1 moved on first and were left alone."), "\(undone)")
            // The journal page lists the latest entries first: the undo before the reset, and
            // the fixture's recovery last.
            let journal = try await op.preview("/ui/journal?table=task_runs")
            let entries = try #require(journal.text.range(of: "<h2>Entries</h2>").map { String(journal.text[$0.upperBound...]) })
            let order = ["<td>undo</td>", "<td>reset</td>", "<td>recover</td>"].map { entries.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "newest first")
        }
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(first)") == "succeeded", "left alone")
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs WHERE id = \(second)") == "queued", "put back")
        let undo = try #require(try TaskRuns(connection: db).journal(limit: 100).last)
        #expect(undo.operation == .undo)
        #expect(undo.actor == "ui:operator")
        #expect(undo.reason?.hasPrefix("undo of batch ") == true && undo.reason?.hasSuffix(": undo drain") == true, "the reason typed: \(undo.reason ?? "")")
    }

    @Test("purge by an age: the preview counts by status and kind, the purge deletes those rows only; without retention or age, one clear 400", arguments: TestBackend.allCases)
    func purgeByAge(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, changeBatchSize: 2)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-02 00:00:00")))
        try db.execute(
            "INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES "
                + (0..<5).map { "('nightly', 'succeeded', \(p(2 * $0 + 1)), \(p(2 * $0 + 2)))" }.joined(separator: ", "),
            Array(repeating: old, count: 10))
        try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('nightly', 'succeeded', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", [])
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let none = try await op.preview("/ui/purge?table=task_runs")
            #expect(none.status == .badRequest)
            #expect(none.text.contains("No retention is configured"))
            let path = "/ui/purge?table=task_runs&kind=nightly&older_than=30d"
            let preview = try await op.preview(path)
            #expect(preview.text.contains("<strong>5</strong> finished runs are past retention"), "\(preview.text)")
            #expect(preview.text.contains("<td>succeeded</td><td>nightly</td><td>5</td>"), "by status and kind")
            #expect(preview.text.contains("In 3 batches of up to 2"))
            #expect(preview.text.contains("DELETE"))
            let done = try await op.run(path, "count=5&reason=disk")
            #expect(done.contains("Purge 5 finished runs"))
            #expect(done.contains("Done: 5 runs changed."), "\(done)")
            let batches = try #require(done.firstMatch(of: /5 of 5 runs, (\d+) batches committed/), "progress by batch: \(done)")
            #expect(Int(batches.1) ?? 0 >= 3, "batches of 2")
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'nightly'") == 1, "the recent one stays")
    }

    @Test("a selection no change can take is one clear 400, never a wider change", arguments: [TestBackend.sqlite])
    func refusedSelections(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        try await fixture.withClient { client in
            let op = Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let cases: [(String, String)] = [
                ("/ui/reset?queue=mail", "cannot select runs by queue"),
                ("/ui/delete?worker=w1&status=failed", "cannot select runs by worker"),
                ("/ui/recover?id=1", "Recover takes every stuck run"),
                ("/ui/undo", "Which batch?"),
                ("/ui/undo?batch=no-such-batch", "no-such-batch"),
                ("/ui/reset?status=failed&to=failed", "failed already"),
                ("/ui/reset?status=bogus", "Unknown status"),
                ("/ui/purge?older_than=soon", "soon"),
                ("/ui/delete?status=running", "running"),
            ]
            for (path, message) in cases {
                let reply = try await op.preview(path)
                #expect(reply.status == .badRequest, "\(path)")
                #expect(reply.text.contains(message), "\(path): \(reply.text)")
            }
        }
    }

    @Test("operators get boxes and the actions on the runs and stuck pages, and undo on the journal; viewers none of them", arguments: [TestBackend.sqlite])
    func pagesOfferActions(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        try await fixture.withClient { client in
            let operatorCookie = try await client.signIn(Fixture.adminToken)
            let viewerCookie = try await client.signIn(Fixture.readToken)
            for path in ["/ui/runs?table=task_runs", "/ui/stuck?table=task_runs"] {
                let mine = try await client.get(path, headers: [.cookie: operatorCookie])
                #expect(mine.text.contains("type=\"checkbox\" name=\"id\" value=\"\(fixture.stuckID)\" form=\"selection\""), "\(path)")
                #expect(mine.text.contains("formaction=\"/ui/reset\""), "\(path)")
                let theirs = try await client.get(path, headers: [.cookie: viewerCookie])
                #expect(!theirs.text.contains("type=\"checkbox\""), "\(path)")
                #expect(!theirs.text.contains("/ui/reset"), "\(path)")
            }
            let runs = try await client.get("/ui/runs?table=task_runs&status=failed&kind=victim", headers: [.cookie: operatorCookie])
            #expect(runs.text.contains("href=\"/ui/delete?table=task_runs&amp;status=failed&amp;kind=victim\""), "everything the filter matches")
            let journal = try await client.get("/ui/journal", headers: [.cookie: operatorCookie])
            #expect(journal.text.contains("<td>recover</td><td>1</td>"), "the fixture's recovery, as a batch")
            #expect(journal.text.contains("/ui/undo?"))
            let viewerJournal = try await client.get("/ui/journal", headers: [.cookie: viewerCookie])
            #expect(viewerJournal.text.contains("<td>recover</td><td>1</td>"))
            #expect(!viewerJournal.text.contains("/ui/undo?"))
        }
    }
}

/// A change confirmed here runs on a connection of its own: the pages go on meanwhile, and its
/// cancel button stops it (here a reset, between batches).
@Suite("dashboard change connection")
struct DashboardChangeCancelTests {
    typealias Fixture = DashboardFixture

    @Test("while a reset waits for a lock on its own connection the pages still answer; the cancel button stops it between batches", arguments: TestBackend.allCases)
    func pagesAnswerWhileChanging(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, changeBatchSize: 1)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let many = 200
        try db.execute("INSERT INTO task_runs (kind, status) VALUES " + Array(repeating: "('drain', 'queued')", count: many).joined(separator: ", "), [])
        // As in the recover's cancel test: another session keeps the journal from being
        // written, so the reset's first batch waits until the checks and the cancel are in.
        let blocker = try WriteLockHolder(try fixture.migrated.database.connect(), backend: backend)
        defer { blocker.close() }
        let text = try await fixture.withClient { client in
            let op = DashboardChangeTests.Operator(client: client, cookie: try await client.signIn(Fixture.adminToken))
            let started = try await op.confirm("/ui/reset?table=task_runs&kind=drain&status=queued", "to=cancelled&count=\(many)&reason=drain")
            let location = try #require(started.headers[.location], "\(started.text)")
            let id = String(location.dropFirst("/ui/operation?id=".count))
            for page in ["/ui/?table=task_runs", "/ui/journal?table=task_runs", "/ui/runs?table=task_runs&kind=drain"] {
                let reply = try await op.preview(page)
                #expect(reply.status == .ok, "\(page) answers while the change waits")
            }
            let token = fixture.dashboard.sessions.formToken(for: try #require(DashboardSessions.cookie(in: op.cookie)))
            let cancelled = try await client.request(.post, "/ui/operation/cancel", headers: op.headers, form: "form_token=\(token)&id=\(id)")
            #expect(cancelled.status == .seeOther)
            try blocker.release()
            return try await client.waitForOperation(location, cookie: op.cookie)
        }
        let stopped = try #require(text.firstMatch(of: /Stopped at your request after (\d+) of 200 runs/), "\(text)")
        let changed = try #require(Int(stopped.1))
        #expect(changed < many)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'drain' AND status = 'cancelled'") == changed)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'drain' AND status = 'queued'") == many - changed)
    }
}
