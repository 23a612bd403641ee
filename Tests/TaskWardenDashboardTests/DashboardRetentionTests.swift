import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// The retention page: the configured policy, the what-if's rows (the purge's own count) and
/// estimated bytes, and a purge by the configured retention through the change pipeline.
@Suite("dashboard retention")
struct DashboardRetentionTests {
    typealias Fixture = DashboardFixture

    /// Finished runs of kind `kind`: `old` finished in 2020, `recent` now.
    static func seed(_ db: any DatabaseConnection, kind: String, status: String, old: Int, recent: Int) throws {
        let p = db.dialect.placeholder
        let then = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-02 00:00:00")))
        if old > 0 {
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at, finished_at, error) VALUES "
                    + (0..<old).map { "('\(kind)', '\(status)', \(p(2 * $0 + 1)), \(p(2 * $0 + 2)), 'some text to give the row a size')" }.joined(separator: ", "),
                Array(repeating: then, count: 2 * old))
        }
        for _ in 0..<recent {
            try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('\(kind)', '\(status)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", [])
        }
    }

    /// Gives PostgreSQL and MariaDB the statistics the row estimate reads.
    static func analyze(_ db: any DatabaseConnection, _ backend: TestBackend) throws {
        switch backend {
        case .postgresql: try db.execute("ANALYZE task_runs", [])
        case .mysql: _ = try db.query("ANALYZE TABLE task_runs", [])
        case .sqlite: break
        }
    }

    @Test("the page shows the configured retention and what is past it; the what-if counts rows by status and kind as the purge would, with bytes estimated and marked so", arguments: TestBackend.allCases)
    func whatIf(backend: TestBackend) async throws {
        let retention = RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)], kinds: ["audit": [.failed: .seconds(365 * 86_400)]])
        let fixture = try await Fixture(backend, retention: retention)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try Self.seed(db, kind: "nightly", status: "succeeded", old: 6, recent: 2)
        try Self.seed(db, kind: "mail", status: "failed", old: 3, recent: 1)
        try Self.analyze(db, backend)
        try await fixture.withClient { client in
            let viewer = try await client.signIn(Fixture.readToken)
            let page = try await client.get("/ui/retention?table=task_runs", headers: [.cookie: viewer])
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("<td>succeeded</td><td>every kind without a rule</td><td>30d</td>"), "\(page.text)")
            #expect(page.text.contains("<td>failed</td><td>audit</td><td>365d</td>"))
            #expect(page.text.contains("Past retention now: 6 rows past retention."))
            #expect(!page.text.contains("/ui/purge"), "viewers are not offered the purge")
            let asked = try await client.get("/ui/retention?table=task_runs&older_than=30d", headers: [.cookie: viewer])
            #expect(asked.status == .ok, "\(asked.text)")
            let table = try #require(asked.text.range(of: "class=\"what-if\"").map { String(asked.text[$0.lowerBound...]) })
            let nightly = try #require(table.firstMatch(of: /<td>succeeded<\/td><td>nightly<\/td><td>6<\/td><td>([^<]+)<\/td>/), "\(table)")
            #expect(nightly.1.hasPrefix("~"), "bytes are marked estimated: \(nightly.1)")
            #expect(table.contains("<td>failed</td><td>mail</td><td>3</td>"))
            #expect(table.contains("<td>9</td>"), "in all")
            let onlyFailed = try await client.get("/ui/retention?table=task_runs&older_than=30d&status=failed", headers: [.cookie: viewer])
            #expect(!onlyFailed.text.contains("<td>nightly</td>"))
            let bad = try await client.get("/ui/retention?table=task_runs&older_than=30d&status=running", headers: [.cookie: viewer])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Only finished runs are purged"))
            let unparsable = try await client.get("/ui/retention?table=task_runs&older_than=later", headers: [.cookie: viewer])
            #expect(unparsable.status == .badRequest)
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE finished_at IS NOT NULL AND kind IN ('nightly', 'mail')") == 12, "the page changed nothing")
    }

    @Test("the estimate: rows times the table's size over its estimated rows", arguments: TestBackend.allCases)
    func estimate(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try Self.seed(db, kind: "nightly", status: "succeeded", old: 10, recent: 10)
        try Self.analyze(db, backend)
        let estimate = try TaskRuns(connection: db).purgeEstimate(RetentionPolicy(statuses: [.succeeded: .seconds(86_400)]))
        #expect(estimate.rows == 10)
        let rows = try #require(estimate.estimatedRows)
        #expect(rows > 0)
        let average = try #require(estimate.averageRowBytes)
        #expect(average > 0)
        #expect(estimate.bytes == Int64((average * 10).rounded()))
        if backend == .sqlite {
            #expect(rows == (try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs")), "SQLite: exact")
        }
    }

    @Test("an operator purges by the configured retention from the page, through the pipeline: preview, typed count, operation", arguments: TestBackend.allCases)
    func purgeConfigured(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, changeBatchSize: 4, retention: RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)]))
        defer { fixture.close() }
        let db = fixture.migrated.connection
        try Self.seed(db, kind: "nightly", status: "succeeded", old: 9, recent: 2)
        try await fixture.withClient { client in
            let cookie = try await client.signIn(Fixture.adminToken)
            let page = try await client.get("/ui/retention?table=task_runs", headers: [.cookie: cookie])
            #expect(page.text.contains("href=\"/ui/purge?table=task_runs\""))
            let op = DashboardChangeTests.Operator(client: client, cookie: cookie)
            let preview = try await op.preview("/ui/purge?table=task_runs")
            #expect(preview.text.contains("<strong>9</strong> finished runs are past retention"), "\(preview.text)")
            #expect(preview.text.contains("In 3 batches of up to 4"))
            let done = try await op.run("/ui/purge?table=task_runs", "count=9&reason=nightly+cleanup")
            #expect(done.contains("Done: 9 runs changed."), "\(done)")
        }
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE kind = 'nightly'") == 2)
    }
}
