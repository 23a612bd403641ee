import Foundation
import Hummingbird
import TaskWarden
import TaskWardenAdmin
import TaskWardenTestSupport
import Testing

@testable import TaskWardenDashboard

/// The dashboard's pages and guards over HTTP, on all three backends.
@Suite("dashboard")
struct DashboardTests {
    typealias Fixture = DashboardFixture

    @Test("every page answers 200 to the read token and shows what it is for", arguments: TestBackend.allCases)
    func pagesRender(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let (stuckID, recoveredID) = (fixture.stuckID, fixture.recoveredID)
        try await fixture.withClient { client in
            let overview = try await client.get("/ui/", token: Fixture.readToken)
            #expect(overview.status == .ok)
            #expect(overview.text.contains("Runs by status and kind"))
            #expect(overview.text.contains("<svg"))
            #expect(overview.text.contains(">1</a> <span class=\"muted\">(threshold 30m)"), "one stuck run, linked to the stuck page")
            #expect(overview.text.contains("viewer (read token, read-only)"))
            #expect(overview.text.contains("<dd>no retention configured</dd>"))
            let stuck = try await client.get("/ui/stuck", token: Fixture.readToken)
            #expect(stuck.status == .ok)
            #expect(stuck.text.contains("/ui/run?table=task_runs&amp;id=\(stuckID)"))
            #expect(!stuck.text.contains("id=\(recoveredID)\""), "the recovered run is no longer stuck")
            #expect(stuck.text.contains("<td>&lt;img src=x onerror=alert(3)&gt;</td>"), "the worker, escaped")
            let runs = try await client.get("/ui/runs?status=failed", token: Fixture.readToken)
            #expect(runs.status == .ok)
            #expect(runs.text.contains("id=\(recoveredID)\">\(recoveredID)</a>"))
            #expect(!runs.text.contains("id=\(stuckID)\">"), "the status filter applies")
            // Filter values arrive percent-encoded and are matched decoded.
            let byKind = try await client.get("/ui/runs?kind=%3Cscript%3Ealert%281%29%3C%2Fscript%3E&worker=%3Cimg+src%3Dx+onerror%3Dalert%283%29%3E", token: Fixture.readToken)
            #expect(Self.runIDs(byKind.text) == [Int(stuckID)].compactMap { $0 }, "\(byKind.text)")
            let run = try await client.get("/ui/run?id=\(recoveredID)", token: Fixture.readToken)
            #expect(run.status == .ok)
            #expect(run.text.contains("recover by"), "the journal's recovery is on the timeline")
            #expect(run.text.contains("running → failed"))
            let journal = try await client.get("/ui/journal", token: Fixture.readToken)
            #expect(journal.status == .ok)
            #expect(journal.text.contains("<td>recover</td>"))
            #expect(try await client.get("/ui/run?id=987654", token: Fixture.readToken).status == .notFound)
            #expect(try await client.get("/ui/runs?status=bogus", token: Fixture.readToken).status == .badRequest)
            #expect(try await client.get("/ui/runs?table=nope", token: Fixture.readToken).status == .badRequest)
        }
    }

    @Test("a kind, error, worker or reason holding markup renders as text on every page", arguments: TestBackend.allCases)
    func hostileTextIsInert(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        // The viewer's pages, and the operator's previews of each change, which list runs too.
        let pages = fixture.pages.map { ($0, Fixture.readToken) } + [
            "/ui/recover", "/ui/reset?status=running", "/ui/cancel?ids=\(fixture.stuckID)", "/ui/delete?status=failed",
            "/ui/undo?batch=\(fixture.recoveredBatch)",
        ].map { ($0, Fixture.adminToken) }
        try await fixture.withClient { client in
            var seen = Set<String>()
            for (page, token) in pages {
                let reply = try await client.get(page, token: token)
                #expect(reply.status == .ok, "\(page)")
                for hostile in [Fixture.hostileKind, Fixture.hostileError, Fixture.hostileWorker, Fixture.hostileReason] {
                    #expect(!reply.text.contains(hostile), "\(page) holds \(hostile) unescaped")
                    let escaped = hostile.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                    if reply.text.contains(escaped) { seen.insert(hostile) }
                }
                // The only script is the dashboard's own file.
                #expect(reply.text.components(separatedBy: "<script").count == 2, "\(page)")
                #expect(reply.text.contains("<script src=\"/ui/static/dashboard.js\" defer></script>"))
            }
            #expect(seen.count == 4, "each hostile text is shown, escaped, somewhere: \(seen)")
        }
    }

    @Test("the runs browser pages by keyset: 'show more' continues below the last id shown, and keeps the filters", arguments: TestBackend.allCases)
    func showMore(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        for _ in 0..<(Dashboard.pageSize + 5) { try db.execute("INSERT INTO task_runs (kind, status) VALUES ('bulk', 'queued')", []) }
        try await fixture.withClient { client in
            let first = try await client.get("/ui/runs?kind=bulk", token: Fixture.readToken)
            #expect(first.status == .ok)
            #expect(Self.runIDs(first.text).count == Dashboard.pageSize)
            let more = try #require(Self.moreLink(first.text))
            #expect(more.contains("kind=bulk"))
            let second = try await client.get(more.replacingOccurrences(of: "&amp;", with: "&"), token: Fixture.readToken)
            let (a, b) = (Self.runIDs(first.text), Self.runIDs(second.text))
            #expect(b.count == 5)
            #expect(Set(a).isDisjoint(with: b))
            #expect(a == a.sorted(by: >) && (a.last ?? 0) > (b.first ?? .max), "newest first, the next page below the first")
            #expect(Self.moreLink(second.text) == nil)
        }
    }

    @Test("runs finished in each of the last hours are counted in their hour, on every backend", arguments: TestBackend.allCases)
    func finishedPerHour(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let runs = TaskRuns(connection: db, table: .taskRuns)
        let now = try DatabaseClock.now(on: db)
        let hour: Int64 = 3_600_000_000
        // The fixture's recovery finished a run just now.
        let before = try runs.finishedPerHour()
        let currentHour = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch / hour * hour)
        // Three in the current hour, two five hours back, one 30 hours back (outside), one queued.
        for (back, status) in [(0, "succeeded"), (0, "failed"), (0, "cancelled"), (5, "succeeded"), (5, "succeeded"), (30, "succeeded"), (0, "queued")] {
            let at = DatabaseValue.timestamp(currentHour.adding(microseconds: -Int64(back) * hour + 1_000_000))
            try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('k', \(p(1)), \(p(2)), \(p(3)))", [.text(status), at, at])
        }
        let hourly = try runs.finishedPerHour()
        #expect(hourly.hours.count == 24)
        #expect(hourly.hours.last?.start == currentHour)
        #expect(hourly.hours.last?.finished == (before.hours.last?.finished ?? 0) + 3)
        #expect(hourly.hours[23 - 5].finished == before.hours[23 - 5].finished + 2)
        #expect(hourly.total == before.total + 5)
        let chart = HourlyChart(hourly, id: "t")
        #expect(chart.bars.count == 24)
        #expect(chart.bars[23].height == HourlyChart.bottom - HourlyChart.top, "the busiest hour is full height")
        #expect(chart.bars[0].height == 0)
    }

    @Test("a refresh given the last chart takes its completed hours from it and counts the hour in progress", arguments: TestBackend.allCases)
    func finishedPerHourReusing(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let runs = TaskRuns(connection: db, table: .taskRuns)
        let first = try runs.finishedPerHour()
        let hour: Int64 = 3_600_000_000
        let currentHour = try #require(first.hours.last).start
        // One finishes now, one back-dated into a completed hour (five hours back).
        for back in [0, 5] {
            let at = DatabaseValue.timestamp(currentHour.adding(microseconds: -Int64(back) * hour + 1_000_000))
            try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('k', 'succeeded', \(p(1)), \(p(2)))", [at, at])
        }
        let reused = try runs.finishedPerHour(reusing: first)
        let fresh = try runs.finishedPerHour()
        #expect(fresh.hours[23 - 5].finished == first.hours[23 - 5].finished + 1, "counted in full, the back-dated run is seen")
        if reused.hours.last?.start == currentHour {
            #expect(reused.hours[23 - 5].finished == first.hours[23 - 5].finished, "a completed hour comes from the last chart")
            #expect(reused.hours.last?.finished == (first.hours.last?.finished ?? 0) + 1, "the hour in progress is counted")
            #expect(reused.hours.map(\.start) == first.hours.map(\.start))
        } else {
            // The clock crossed an hour meanwhile: the hour that was in progress is completed now
            // and counted again, and the new one is counted.
            #expect(reused.hours[22].start == currentHour && reused.hours[22].finished == fresh.hours[22].finished)
            #expect(reused.hours.last?.finished == fresh.hours.last?.finished)
        }
    }

    @Test("the purge backlog counts the runs past retention, per the configuration, and says when a count stopped at its cap", arguments: TestBackend.allCases)
    func purgeBacklog(backend: TestBackend) async throws {
        let retention = RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])
        let fixture = try await Fixture(backend, retention: retention)
        defer { fixture.close() }
        let db = fixture.migrated.connection
        let p = db.dialect.placeholder
        let now = try DatabaseClock.now(on: db)
        let twoDaysAgo = DatabaseValue.timestamp(now.adding(seconds: -2 * 86_400))
        for (status, finished) in [("succeeded", twoDaysAgo), ("succeeded", twoDaysAgo), ("succeeded", twoDaysAgo), ("succeeded", .timestamp(now)), ("failed", twoDaysAgo)] {
            try db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('k', \(p(1)), \(p(2)), \(p(3)))", [.text(status), finished, finished])
        }
        try await fixture.withClient { client in
            let overview = try await client.get("/ui/", token: Fixture.readToken)
            #expect(overview.text.contains("<dt>Purge backlog</dt><dd>3 rows past retention</dd>"), "\(overview.text)")
        }
        let capped = try TaskRuns(connection: db).purgeBacklog(retention, cap: 2)
        #expect(capped.rows == 2 && capped.capped)
        #expect(Dashboard.backlogText(capped).hasPrefix("more than 2 rows past retention"))
        #expect(try TaskRuns(connection: db).purgeBacklog(retention).rows == 3)
    }

    static func runIDs(_ html: String) -> [Int] {
        // A row starts with its run's link, after an operator's box to tick it.
        html.matches(of: /<tr>(?:<td><input type="checkbox"[^>]*><\/td>)?<td><a href="\/ui\/run\?table=task_runs&amp;id=(\d+)/).compactMap { Int($0.1) }
    }

    static func moreLink(_ html: String) -> String? {
        guard let range = html.range(of: "<a class=\"more\" href=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
