import Foundation
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

/// `list`: filters, keyset paging, and an index under the status filter.
@Suite("Listing runs")
struct ListTests {
    static func ids(_ runs: [RunSummary]) -> [Int64] { runs.compactMap { Int64.fromDatabaseValue($0.id) } }

    @Test("filters combine; pages walk a filtered set newest first, each run once; the status filter reads an index on 100 k rows", arguments: TestBackend.allCases)
    func filtersAndPages(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let many: String
        switch backend {
        case .postgresql:
            many = "INSERT INTO task_runs (kind, status, started_at, finished_at) SELECT 'bulk', 'succeeded', now() - interval '2 days', now() - interval '1 day' FROM generate_series(1, 100000)"
        case .mysql:
            try db.execute("SET SESSION \(db.dialect.isMariaDB ? "max_recursive_iterations" : "cte_max_recursion_depth") = 200000", [])
            many = "INSERT INTO task_runs (kind, status, started_at, finished_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT 'bulk', 'succeeded', NOW(6) - INTERVAL 2 DAY, NOW(6) - INTERVAL 1 DAY FROM n"
        case .sqlite:
            many = "INSERT INTO task_runs (kind, status, started_at, finished_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT 'bulk', 'succeeded', '2026-01-01 00:00:00.000000', '2026-01-02 00:00:00.000000' FROM n"
        }
        try db.execute(many, [])
        var running: [Int64] = []
        for index in 0..<7 { running.append(try fixture.insert(kind: index % 2 == 0 ? "crawl" : "report", startedMinutesAgo: Double(10 + index * 30))) }
        let failed = try fixture.insert(kind: "crawl", status: "failed", startedMinutesAgo: 300, finishedMinutesAgo: 200)
        switch backend {
        case .postgresql: try db.execute("ANALYZE task_runs", [])
        case .mysql: try db.execute("ANALYZE TABLE task_runs", [])
        case .sqlite: try db.execute("ANALYZE", [])
        }
        let runs = fixture.runs

        var filter = RunListFilter()
        filter.statuses = [.running]
        // Pages of 3: 7 running runs newest first, each once.
        var seen: [Int64] = []
        while true {
            let page = try runs.list(filter, limit: 3)
            seen += Self.ids(page)
            guard page.count == 3, let last = page.last else { break }
            filter.beforeID = String(describing: Int64.fromDatabaseValue(last.id)!)
        }
        #expect(seen == running.reversed())

        var crawl = RunListFilter()
        crawl.kinds = ["crawl"]
        crawl.statuses = [.running, .failed]
        #expect(Self.ids(try runs.list(crawl, limit: 20)) == ([failed] + running.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reversed()))
        var long = RunListFilter()
        long.runningLongerThan = .seconds(110 * 60)
        #expect(Self.ids(try runs.list(long, limit: 20)) == Array(running[4...].reversed()))
        var recent = RunListFilter()
        recent.since = .seconds(45 * 60)
        #expect(Self.ids(try runs.list(recent, limit: 20)) == Array(running[0...1].reversed()))
        var old = RunListFilter()
        old.finishedBefore = .seconds(150 * 60)
        old.kinds = ["crawl"]
        #expect(Self.ids(try runs.list(old, limit: 20)) == [failed])
        #expect(try runs.list(RunListFilter(), limit: 5).count == 5)
        var badID = RunListFilter()
        badID.beforeID = "12abc"
        #expect(throws: RunInputError.self) { try runs.list(badID, limit: 5) }

        // The plan of the status-filtered page: an index with status first, never a table scan.
        var statement = SQL.Runs.List(
            statuses: ["running"], kinds: [], queue: .null, worker: .null, beforeId: .null, since: .null, finishedBefore: .null,
            runningStatuses: ["running"], startedBefore: .null, limit: 20)
        statement.byStatus = true
        let (sql, parameters) = try statement.render(for: db.dialect, names: TaskTable.taskRuns.identifiers)
        let plan: String
        switch backend {
        case .postgresql: plan = try db.query("EXPLAIN " + sql, parameters).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        case .mysql: plan = try db.query("EXPLAIN " + sql, parameters).map { ($0["key"].flatMap(String.fromDatabaseValue) ?? "") + " " + ($0["type"].flatMap(String.fromDatabaseValue) ?? "") }.joined(separator: "\n")
        case .sqlite: plan = try db.query("EXPLAIN QUERY PLAN " + sql, parameters).map { try $0.decode(String.self, "detail") }.joined(separator: "\n")
        }
        switch backend {
        case .postgresql:
            #expect(plan.contains("Index") && !plan.contains("Seq Scan"), "\(plan)")
        case .mysql:
            #expect(plan.contains("task_runs_") && !plan.contains(" ALL"), "\(plan)")
        case .sqlite:
            #expect(plan.contains("INDEX task_runs_") && !plan.split(separator: "\n").contains { $0.hasPrefix("SCAN task_runs") }, "\(plan)")
        }
    }

    @Test("a rare kind's runs are read through the kind index, a common kind's by walking the table newest first, on 100 k rows", arguments: TestBackend.allCases)
    func rareKind(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        switch backend {
        case .postgresql:
            try db.execute("INSERT INTO task_runs (kind, status, started_at) SELECT 'bulk', 'succeeded', now() - interval '2 days' FROM generate_series(1, 100000)", [])
        case .mysql:
            try db.execute("SET SESSION \(db.dialect.isMariaDB ? "max_recursive_iterations" : "cte_max_recursion_depth") = 200000", [])
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT 'bulk', 'succeeded', NOW(6) - INTERVAL 2 DAY FROM n", [])
        case .sqlite:
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT 'bulk', 'succeeded', '2026-01-01 00:00:00.000000' FROM n", [])
        }
        // Three runs of a rare kind at the start of the table: the last a newest-first walk meets.
        let moved: [Int64] = [1, 2, 3]
        try db.execute("UPDATE task_runs SET kind = 'rare' WHERE id IN (1, 2, 3)", [])
        switch backend {
        case .postgresql: try db.execute("ANALYZE task_runs", [])
        case .mysql: try db.execute("ANALYZE TABLE task_runs", [])
        case .sqlite: try db.execute("ANALYZE", [])
        }
        var rareFilter = RunListFilter()
        rareFilter.kinds = ["rare"]
        #expect(Self.ids(try fixture.runs.list(rareFilter, limit: 50)) == moved.reversed())
        var bulk = RunListFilter()
        bulk.kinds = ["bulk"]
        let newest = try fixture.runs.list(bulk, limit: 5)
        #expect(Self.ids(newest).count == 5 && Self.ids(newest) == Self.ids(newest).sorted(by: >) && Self.ids(newest).allSatisfy { $0 > 99_000 })
        guard backend == .sqlite else { return }
        #expect(try fixture.runs.fewRunsOfKinds(["rare"]))
        #expect(try !fixture.runs.fewRunsOfKinds(["bulk"]))
        func plan(sortingMatches: Bool) throws -> String {
            var statement = SQL.Runs.List(
                statuses: [], kinds: ["rare"], queue: .null, worker: .null, beforeId: .null, since: .null, finishedBefore: .null,
                runningStatuses: ["running"], startedBefore: .null, limit: 50)
            statement.byKind = true
            statement.sortMatches = sortingMatches
            let (sql, parameters) = try statement.render(for: db.dialect, names: TaskTable.taskRuns.identifiers)
            return try db.query("EXPLAIN QUERY PLAN " + sql, parameters).map { try $0.decode(String.self, "detail") }.joined(separator: "\n")
        }
        // What the count is for: with a bound kind SQLite walks the whole table for a rare one.
        #expect(try plan(sortingMatches: false).hasPrefix("SCAN task_runs"))
        let sorted = try plan(sortingMatches: true)
        #expect(sorted.contains("INDEX task_runs_kind_idx") && !sorted.contains("SCAN task_runs"), "\(sorted)")
    }

    @Test("on a mapped table with text ids and a parent, pages walk newest (highest id) first, each run once", arguments: TestBackend.allCases)
    func textIDs(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE scan_tasks (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
        try db.execute(
            "CREATE TABLE scan_runs (id VARCHAR(40) PRIMARY KEY, task_id VARCHAR(40), status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, kind VARCHAR(20))",
            [])
        try db.execute("INSERT INTO scan_tasks (id, status) VALUES ('t-1', 'running')", [])
        let p = db.dialect.placeholder
        let ids = (0..<11).map { String(format: "run-%02d-%@", $0, $0 % 3 == 0 ? "x" : "y") }
        for (index, id) in ids.enumerated() {
            try db.execute(
                "INSERT INTO scan_runs (id, task_id, status, started_at, kind) VALUES (\(p(1)), 't-1', \(p(2)), \(p(3)), 'scan')",
                [.text(id), .text(index % 2 == 0 ? "running" : "succeeded"), .timestamp(fixture.ago(minutes: Double(100 - index)))])
        }
        let config = try TaskWardenConfiguration.parse("table: {name: scan_runs, parent: {name: scan_tasks, key: task_id}}")
        let database = try DatabaseDrivers.queue(try fixture.database.url)
        defer { database.close() }
        let (all, running) = try database.withTaskRuns(table: config.table) { (runs: TaskRuns) throws -> ([String], [String]) in
            func walk(_ filter: RunListFilter) throws -> [String] {
                var filter = filter
                var seen: [String] = []
                while true {
                    let page = try runs.list(filter, limit: 4)
                    seen += page.compactMap { String.fromDatabaseValue($0.id) }
                    guard page.count == 4, let last = page.last else { return seen }
                    filter.beforeID = String.fromDatabaseValue(last.id)
                }
            }
            var running = RunListFilter()
            running.statuses = [.running]
            return (try walk(RunListFilter()), try walk(running))
        }
        #expect(all == ids.sorted().reversed())
        #expect(running == ids.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).sorted().reversed())
    }
}
