import Foundation
import Hummingbird
import TaskWarden
@testable import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// The dashboard on a table of the application's own: other column names, status words and
/// times stored as Unix seconds, on all three backends.
@Suite("dashboard on a mapped table")
struct DashboardMappedTableTests {
    typealias Fixture = DashboardFixture

    static func create(_ backend: TestBackend) -> String {
        let id =
            switch backend {
            case .postgresql: "id BIGSERIAL PRIMARY KEY"
            case .mysql: "id BIGINT AUTO_INCREMENT PRIMARY KEY"
            case .sqlite: "id INTEGER PRIMARY KEY AUTOINCREMENT"
            }
        return """
            CREATE TABLE jobs (\(id), job_name VARCHAR(100), state VARCHAR(20) NOT NULL, began BIGINT, beat BIGINT, done_at BIGINT,
                worker_host VARCHAR(100), err TEXT)
            """
    }

    static let configuration = """
        table:
          name: jobs
          columns: {kind: job_name, status: state, started_at: began, heartbeat_at: beat, finished_at: done_at, worker: worker_host, error: err}
          statuses: {queued: [PENDING], running: [STARTED], succeeded: [SUCCESS], failed: [FAILURE], cancelled: [REVOKED]}
          time_format: unix_seconds
        stuck:
          older_than: 10m
        """

    @Test("every page, finishes per hour, and recover with its journal work on the mapped table", arguments: TestBackend.allCases)
    func mappedTable(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, mapped: (Self.create(backend), Self.configuration))
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let now = Int64(Date().timeIntervalSince1970)
        let hourStart = now / 3_600 * 3_600
        let rows: [(String, String, Int64?, Int64?, Int64?, String?)] = [
            ("crawl", "STARTED", now - 7_200, now - 5_400, nil, "w1"),  // silent 90 minutes: stuck
            ("crawl", "STARTED", now - 7_200, now - 60, nil, "w2"),
            ("index", "SUCCESS", hourStart - 1_000, nil, hourStart + 1, "w1"),
            ("index", "SUCCESS", hourStart - 20_000, nil, hourStart - 5 * 3_600 + 1, "w1"),
            ("index", "PENDING", nil, nil, nil, nil),
        ]
        for (kind, state, began, beat, done, worker) in rows {
            try db.execute(
                "INSERT INTO jobs (job_name, state, began, beat, done_at, worker_host, err) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)), \(p(7)))",
                [.text(kind), .text(state), began.map { .integer($0) } ?? .null, beat.map { .integer($0) } ?? .null, done.map { .integer($0) } ?? .null,
                 worker.map { .text($0) } ?? .null, .text("<script>alert(5)</script>")])
        }
        let hourly = try TaskRuns(connection: db, table: fixture.server.api.tables[0].table).finishedPerHour()
        #expect(hourly.hours.last?.finished == 1)
        #expect(hourly.hours[23 - 5].finished == 1)

        try await fixture.withClient { client in
            let cookie = try await client.signIn(Fixture.adminToken)
            let overview = try await client.get("/ui/", headers: [.cookie: cookie])
            #expect(overview.status == .ok)
            #expect(overview.text.contains("<h2 id=\"t-jobs\">jobs</h2>"))
            #expect(overview.text.contains("<th scope=\"col\">STARTED</th>"))
            #expect(overview.text.contains("href=\"/ui/runs?table=jobs&amp;status=running&amp;kind=crawl\">2</a>"), "\(overview.text)")
            #expect(overview.text.contains("2 in all"), "finishes per hour over the day")
            let stuck = try await client.get("/ui/stuck", headers: [.cookie: cookie])
            #expect(stuck.text.contains("id=1\">1</a>"))
            #expect(!stuck.text.contains("id=2\">2</a>"))
            #expect(stuck.text.contains("<td>w1</td>"))
            let running = try await client.get("/ui/runs?status=running", headers: [.cookie: cookie])
            #expect(DashboardTests.runIDs(running.text.replacingOccurrences(of: "table=jobs", with: "table=task_runs")) == [2, 1])
            let run = try await client.get("/ui/run?id=1", headers: [.cookie: cookie])
            #expect(run.text.contains("<code>job_name</code>"))
            #expect(run.text.contains("stuck: silent for 1h30m"))
            #expect(run.text.contains("&lt;script&gt;alert(5)&lt;/script&gt;"))
            #expect(!run.text.contains("<script>alert(5)"))

            let token = try #require(try await client.get("/ui/recover?table=jobs", headers: [.cookie: cookie]).hidden("form_token"))
            var headers: HTTPFields = [Fixture.fetchSite: "same-origin"]
            headers[.cookie] = cookie
            let started = try await client.request(
                .post, "/ui/recover", headers: headers, form: "form_token=\(token)&table=jobs&count=1&reason=host+lost&actor=bob")
            let done = try await client.waitForOperation(try #require(started.headers[.location]), cookie: cookie)
            #expect(done.contains("Done: 1 runs changed."), "\(done)")
            let journal = try await client.get("/ui/journal?table=jobs", headers: [.cookie: cookie])
            #expect(journal.text.contains("<td>STARTED → FAILURE</td>"))
            #expect(journal.text.contains("<td>ui:bob</td>"))
        }
        #expect(try db.queryValue(String.self, "SELECT state FROM jobs WHERE id = 1") == "FAILURE")
        #expect(try db.queryValue(String.self, "SELECT state FROM jobs WHERE id = 2") == "STARTED")
    }
}
