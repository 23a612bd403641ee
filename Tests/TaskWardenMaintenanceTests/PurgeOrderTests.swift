import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The two orders a purge can walk a table in, and the automatic choice between them.
@Suite("Purge order")
struct PurgeOrderTests {
    static let day = 24.0 * 60

    // MARK: - The choice, on synthetic statistics

    static func statistics(rows: Int, purgeable: Int, correlation: Double?, batchSize: Int = 5_000) -> PurgeOrderStatistics {
        let many = PurgeOrderDecision.manyThreshold(estimatedRows: rows, batchSize: batchSize)
        return PurgeOrderStatistics(
            estimatedRows: rows, purgeableRows: min(purgeable, many), manyRows: many, finishCorrelation: correlation,
            correlationSource: correlation == nil ? nil : .sample)
    }

    @Test("many purgeable rows, scattered: primary-key order; few, or in table order, or order unknown: finish-time order")
    func choice() {
        let scatteredMany = PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 3_000_000, correlation: 0.01))
        #expect(scatteredMany.order == .primaryKey)
        #expect(scatteredMany.reason == .manyScattered)
        let scatteredFew = PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 20_000, correlation: 0.01))
        #expect(scatteredFew.order == .finishTime)
        #expect(scatteredFew.reason == .fewRows)
        let inOrder = PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 3_000_000, correlation: 0.99))
        #expect(inOrder.order == .finishTime)
        #expect(inOrder.reason == .finishInTableOrder)
        let reversed = PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 3_000_000, correlation: -0.95))
        #expect(reversed.order == .finishTime, "rows finishing in reverse table order are still read in order")
        let unknown = PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 3_000_000, correlation: nil))
        #expect(unknown.order == .finishTime)
        #expect(unknown.reason == .orderUnknown)
        // The threshold: 2 % of the table, at least a batch.
        #expect(PurgeOrderDecision.manyThreshold(estimatedRows: 10_000_000, batchSize: 5_000) == 200_000)
        #expect(PurgeOrderDecision.manyThreshold(estimatedRows: 1_000, batchSize: 5_000) == 5_000)
        #expect(PurgeOrderDecision.manyThreshold(estimatedRows: -1, batchSize: 10) == 10, "PostgreSQL's -1 before the first ANALYZE")
        #expect(PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 199_999, correlation: 0)).order == .finishTime)
        #expect(PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 200_000, correlation: 0)).order == .primaryKey)
        #expect(PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 200_000, correlation: 0.79)).order == .primaryKey)
        #expect(PurgeOrderDecision.choose(Self.statistics(rows: 10_000_000, purgeable: 200_000, correlation: 0.8)).order == .finishTime)
    }

    @Test("the sample's rank correlation: 1 for ids in finish order, -1 reversed, near 0 for the scattered benchmark layout")
    func rankCorrelation() throws {
        let rising = (1...1_000).map { DatabaseValue.integer(Int64($0 * 3)) }
        #expect(PurgeOrderDecision.rankCorrelation(rising) == 1)
        #expect(PurgeOrderDecision.rankCorrelation(rising.reversed()) == -1)
        #expect(PurgeOrderDecision.rankCorrelation(Array(rising.prefix(9))) == nil, "too few to tell")
        #expect(PurgeOrderDecision.rankCorrelation([.integer(1), .text("2")] + rising) == nil)
        #expect(PurgeOrderDecision.rankCorrelation((1...100).map { .text(String(format: "run-%04d", $0)) }) == 1)
        // The benchmark's scattered layout: rows i with i % 6 == 0 finish at i % 86 400 seconds
        // into their day, so in finish order the ids come in short rising runs across the table.
        let scattered = (0..<2_000_000).lazy.filter { $0 % 6 == 0 }.sorted { ($0 % 86_400, $0) < ($1 % 86_400, $1) }.prefix(1_000)
        let correlation = try #require(PurgeOrderDecision.rankCorrelation(scattered.map { .integer(Int64($0)) }))
        #expect(abs(correlation) < PurgeOrderDecision.inOrderCorrelation, "scattered sample: \(correlation)")
    }

    // MARK: - The choice, on real servers

    /// `count` finished runs; a third succeeded 100 days ago, scattered over the table (every
    /// third id) or in id order (the first third), the rest finished yesterday.
    private func seed(_ fixture: RunFixture, count: Int, scattered: Bool) throws {
        try fixture.connection.inTransaction { _ in
            for index in 0..<count {
                let old = scattered ? index % 3 == 0 : index < count / 3
                // Scattered: the old rows' finish times fall as their ids rise, in short runs.
                let minutes = old ? 100 * Self.day + Double(scattered ? (count - index) % 37 * 10 + index % 7 : count - index) : Self.day
                try fixture.insert(status: "succeeded", startedMinutesAgo: minutes + 1, finishedMinutesAgo: minutes)
            }
        }
    }

    @Test("auto reads the database's statistics: scattered many rows walk in key order, rows in id order and few rows by the index", arguments: TestBackend.allCases)
    func autoOnServer(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)]))
        options.batchSize = 10
        options.dryRun = true

        try seed(fixture, count: 600, scattered: true)
        let scattered = try #require(try fixture.runs.purge(options).orders.first?.decision)
        let statistics = try #require(scattered.statistics)
        #expect(statistics.purgeableRows >= statistics.manyRows)
        #expect(statistics.correlationSource == .sample)
        #expect(scattered.order == .primaryKey, "\(scattered)")
        if backend == .postgresql {
            // With the planner's statistics, PostgreSQL reads the correlation from pg_stats.
            try fixture.connection.execute("ANALYZE task_runs", [])
            let analyzed = try #require(try fixture.runs.purge(options).orders.first?.decision)
            #expect(analyzed.statistics?.correlationSource == .statistics)
            #expect(analyzed.statistics?.estimatedRows == 600)
            #expect(analyzed.order == .primaryKey, "\(analyzed)")
        }
        var purge = options
        purge.dryRun = false
        let purged = try fixture.runs.purge(purge)
        #expect(purged.rows == 200)
        #expect(purged.passes.first?.order == .primaryKey)

        try fixture.connection.execute("DELETE FROM task_runs", [])
        try seed(fixture, count: 600, scattered: false)
        if backend == .postgresql { try fixture.connection.execute("ANALYZE task_runs", []) }
        let inOrder = try #require(try fixture.runs.purge(options).orders.first?.decision)
        #expect(inOrder.order == .finishTime, "\(inOrder)")
        #expect(inOrder.reason == .finishInTableOrder || inOrder.reason == .fewRows, "\(inOrder)")

        // Few: 5 purgeable rows of 600, under a batch.
        try fixture.connection.execute("DELETE FROM task_runs", [])
        try seed(fixture, count: 15, scattered: true)
        for _ in 0..<585 { try fixture.insert(status: "succeeded", startedMinutesAgo: 2, finishedMinutesAgo: 1) }
        let few = try #require(try fixture.runs.purge(options).orders.first?.decision)
        #expect(few.order == .finishTime)
        #expect(few.reason == .fewRows)
        #expect(few.statistics?.purgeableRows == 5)
    }

    // MARK: - Both orders delete the same rows

    /// One generated run: its status, kind and finish time in days ago (never on a cutoff).
    struct GeneratedRun: Sendable, CustomStringConvertible {
        var status: String
        var kind: String
        var finishedDaysAgo: Double
        var description: String { "\(status)/\(kind)/\(finishedDaysAgo)d" }
    }

    static let generatedRun = zip(
        Gen<String?>.element(of: ["succeeded", "failed", "cancelled", "queued", "running"]),
        Gen<String?>.element(of: ["report", "crawl", "mail"]),
        Gen<Double?>.element(of: [0.5, 3, 7, 12, 25, 35, 45, 70, 95, 200])
    ).map { GeneratedRun(status: $0 ?? "succeeded", kind: $1 ?? "report", finishedDaysAgo: ($2 ?? 1) + 0.01) }

    /// Succeeded after 30 days, failed after 10, cancelled after 40; reports' succeeded after 5.
    static let retention = RetentionPolicy(
        statuses: [.succeeded: .seconds(30 * 86_400), .failed: .seconds(10 * 86_400), .cancelled: .seconds(40 * 86_400)],
        kinds: ["report": [.succeeded: .seconds(5 * 86_400)]])

    static func expectedToGo(_ run: GeneratedRun) -> Bool {
        switch (run.status, run.kind) {
        case ("succeeded", "report"): run.finishedDaysAgo > 5
        case ("succeeded", _): run.finishedDaysAgo > 30
        case ("failed", _): run.finishedDaysAgo > 10
        case ("cancelled", _): run.finishedDaysAgo > 40
        default: false
        }
    }

    @Test("generated tables: both orders delete exactly the rows past their retention, no more, no fewer", arguments: TestBackend.allCases)
    func sameRows(backend: TestBackend) async throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let p = fixture.connection.dialect.placeholder
        await propertyCheck(
            count: 12, input: Self.generatedRun.array(of: 0...40), Gen<Int>.int(in: 1...9), Gen<Bool?>.element(of: [true, false])
        ) { runs, batchSize, archiveOrNil in
            let archive = archiveOrNil ?? false
            var kept: [PurgeOrder: [String]] = [:]
            for order in PurgeOrder.allCases {
                try fixture.connection.execute("DELETE FROM task_runs", [])
                try fixture.connection.inTransaction { db in
                    for (index, run) in runs.enumerated() {
                        let finished = fixture.ago(minutes: run.finishedDaysAgo * Self.day)
                        try db.execute(
                            "INSERT INTO task_runs (kind, status, started_at, finished_at, worker) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)))",
                            [.text(run.kind), .text(run.status), .timestamp(finished.adding(seconds: -60)), .timestamp(finished), .text("row-\(index)")])
                    }
                }
                var options = PurgeOptions(retention: Self.retention)
                options.order = order
                options.batchSize = batchSize
                if archive { options.archiveTable = try SQLIdentifier("archive_\(order == .finishTime ? "index" : "key")") }
                let summary = try fixture.runs.purge(options)
                let remaining = try fixture.connection.query("SELECT worker FROM task_runs", []).map { try $0.decode(String.self, "worker") }
                kept[order] = remaining.sorted()
                let expected = runs.indices.filter { !Self.expectedToGo(runs[$0]) }.map { "row-\($0)" }.sorted()
                #expect(remaining.sorted() == expected, "\(order), batch \(batchSize): \(runs)")
                #expect(summary.rows == runs.count - expected.count)
                #expect(summary.passes.allSatisfy { $0.order == order })
                if archive, let table = options.archiveTable {
                    let archived = try fixture.connection.query("SELECT worker FROM \(table.name)", []).map { try $0.decode(String.self, "worker") }
                    #expect(archived.sorted() == runs.indices.filter { Self.expectedToGo(runs[$0]) }.map { "row-\($0)" }.sorted())
                    try fixture.connection.execute("DELETE FROM \(table.name)", [])
                }
            }
            #expect(kept[.finishTime] == kept[.primaryKey])
        }
    }
}
