import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// The overview of a table too big to count: the database's estimates, marked `~`, or counts
/// that stop at a cap; exact counts below the limit. The limit is lowered to a few rows here.
@Suite("dashboard estimated counts")
struct DashboardEstimatedCountsTests {
    typealias Fixture = DashboardFixture

    @Test("above the limit the overview shows the database's estimates marked ~ (PostgreSQL reltuples and pg_stats, MariaDB TABLE_ROWS and the optimizer's) or bounded counts (SQLite), by status with every kind together; below it, exact counts by kind", arguments: TestBackend.allCases)
    func estimated(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, exactCountLimit: 5)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        // 1 running and 1 failed from the fixture, and 20 succeeded.
        try DashboardRetentionTests.seed(db, kind: "nightly", status: "succeeded", old: 20, recent: 0)
        try DashboardRetentionTests.analyze(db, backend)
        try await fixture.withClient { client in
            let overview = try await client.get("/ui/", token: Fixture.readToken)
            #expect(overview.status == .ok)
            let facts = try #require(overview.text.firstMatch(of: /<dt>Runs<\/dt><dd>([^<]+)<\/dd>/)).1
            #expect(overview.text.contains("class=\"muted estimated\""), "says the counts are not exact")
            #expect(overview.text.contains("<th scope=\"row\">(every kind)</th>"))
            switch backend {
            case .postgresql:
                #expect(facts == "~22", "reltuples after ANALYZE")
                #expect(overview.text.contains("status=succeeded\">~20</a>"), "succeeded from pg_stats' most common values: \(overview.text)")
                #expect(overview.text.contains("status=running\">1</a>"), "running, too rare for them, counted through the index")
            case .mysql:
                #expect(facts.hasPrefix("~"), "TABLE_ROWS: \(facts)")
                #expect(overview.text.contains("status=succeeded\">20</a>"), "a count through the status index, under its cap")
            case .sqlite:
                #expect(facts == "more than 5", "SQLite keeps no estimate: a bounded count")
                #expect(overview.text.contains("status=succeeded\">20</a>"))
            }
            #expect(!overview.text.contains("kind=nightly"), "no counts by kind on a big table")
        }
        // With a cap below the succeeded runs: MySQL takes its optimizer's estimate for them
        // (an index dive), the others count up to the cap; the rare values stay exact everywhere.
        let runs = TaskRuns(connection: db, table: .taskRuns)
        let counts = try #require(try runs.estimatedCounts(exactUpTo: 5, cap: 10))
        let succeeded = try #require(counts.byStatus.first { $0.value == "succeeded" }).figure
        let running = try #require(counts.byStatus.first { $0.value == "running" }).figure
        #expect(running == .init(rows: 1, estimated: false, atLeast: false))
        switch backend {
        case .mysql: #expect(succeeded.estimated && (10...40).contains(succeeded.rows), "\(succeeded)")
        case .postgresql: #expect(succeeded == .init(rows: 20, estimated: true, atLeast: false), "pg_stats")
        case .sqlite: #expect(succeeded == .init(rows: 10, estimated: false, atLeast: true))
        }
        let small = try await Fixture(backend)
        defer { small.close() }
        try await small.withClient { client in
            let overview = try await client.get("/ui/", token: Fixture.readToken)
            #expect(!overview.text.contains("class=\"muted estimated\""))
            #expect(overview.text.contains("<dt>Runs</dt><dd>2</dd>"), "exact")
        }
    }

    @Test("a status value's count stops at its cap and says so")
    func capped() {
        #expect(Dashboard.figureText(.init(rows: 100_000, estimated: false, atLeast: true)) == "more than 100000")
        #expect(Dashboard.figureText(.init(rows: 1_234, estimated: true, atLeast: false)) == "~1234")
        #expect(Dashboard.figureText(.init(rows: 7, estimated: false, atLeast: false)) == "7")
    }
}
