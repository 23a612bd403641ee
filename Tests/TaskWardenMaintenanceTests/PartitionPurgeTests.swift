import Foundation
import PropertyBased
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

@testable import TaskWardenMaintenance

/// Purge on task tables partitioned by month (the template in `migrations/templates/partitioned`):
/// partitions wholly past retention are dropped, the rest deleted by batches, and what stays is
/// exactly what a row-by-row purge leaves. PostgreSQL and MySQL; SQLite has no partitioning.
@Suite("Purge of partitioned tables")
struct PartitionPurgeTests {
    static let partitioned: [TestBackend] = [.postgresql, .mysql]
    static let day = 86_400.0
    static let retention = RetentionPolicy(statuses: [
        .succeeded: .seconds(30 * 86_400), .failed: .seconds(90 * 86_400), .cancelled: .seconds(60 * 86_400),
    ])
    static let templates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations/templates/partitioned").path

    /// A run as generated: its status, and its creation and finish ages in days.
    struct Run: Sendable, CustomStringConvertible {
        var status: String
        var createdDaysAgo: Double
        /// `nil`: not finished (queued, running; or a finished status without a finish time).
        var finishedDaysAgo: Double?
        var description: String { "\(status) created \(createdDaysAgo)d ago finished \(finishedDaysAgo.map { "\($0)d ago" } ?? "never")" }

        /// Whether a purge with ``PartitionPurgeTests/retention`` removes it.
        var purged: Bool {
            guard let finished = finishedDaysAgo, let status = TaskStatus(rawValue: status),
                let retention = PartitionPurgeTests.retention.retention(status, kind: nil)
            else { return false }
            return finished * PartitionPurgeTests.day > retention.seconds
        }
    }

    /// A migrated database whose task_runs the template partitioned, holding `runs`.
    struct Fixture {
        let base: RunFixture
        let ids: [Int64]
        var db: any DatabaseConnection { base.connection }

        init(_ backend: TestBackend, runs: [Run]) throws {
            let base = try RunFixture(backend)
            self.base = base
            let db = base.connection
            let url = try base.database.url
            _ = try Migrator(
                connection: db, set: try MigrationSet.directory(PartitionPurgeTests.templates, name: "partitioned", for: db.dialect),
                openLockConnection: { try DatabaseDrivers.connect(url) }
            ).up()
            let p = db.dialect.placeholder
            var inserted: [Int64] = []
            try db.inTransaction { db in
                for run in runs {
                    let created = base.now.adding(seconds: -run.createdDaysAgo * PartitionPurgeTests.day)
                    let finished = run.finishedDaysAgo.map { DatabaseValue.timestamp(base.now.adding(seconds: -$0 * PartitionPurgeTests.day)) } ?? .null
                    try db.execute(
                        "INSERT INTO task_runs (kind, status, created_at, started_at, finished_at) VALUES ('job', \(p(1)), \(p(2)), \(p(3)), \(p(4)))",
                        [.text(run.status), .timestamp(created), .timestamp(created), finished])
                    inserted.append(try db.queryValue(Int64.self, "SELECT MAX(id) FROM task_runs"))
                }
            }
            if backend == .postgresql { try db.execute("ANALYZE task_runs", []) }
            ids = inserted
        }

        func remaining() throws -> Set<Int64> {
            Set(try db.query("SELECT id FROM task_runs", []).map { try $0.decode(Int64.self, at: 0) })
        }

        func partitions() throws -> Set<String> {
            let sql =
                db.backend == .postgresql
                ? "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'task_runs'::regclass"
                : "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'task_runs'"
            return Set(try db.query(sql, []).map { try $0.decode(String.self, at: 0) })
        }

        func close() { base.close() }
    }

    /// Month after month of finished runs, some months holding a run that must stay.
    static func months() -> [Run] {
        var runs: [Run] = []
        for month in 0..<11 {
            for index in 0..<12 {
                let created = Double(month) * 30 + Double(index) * 2 + 1
                let status = ["succeeded", "succeeded", "failed", "cancelled"][index % 4]
                runs.append(Run(status: status, createdDaysAgo: created, finishedDaysAgo: created - 0.5))
            }
        }
        runs.append(Run(status: "running", createdDaysAgo: 250, finishedDaysAgo: nil))  // a stuck run in an old month
        runs.append(Run(status: "queued", createdDaysAgo: 200, finishedDaysAgo: nil))
        runs.append(Run(status: "failed", createdDaysAgo: 170, finishedDaysAgo: 20))    // an old run that finished lately
        runs.append(Run(status: "succeeded", createdDaysAgo: 140, finishedDaysAgo: nil))  // finished, no finish time
        return runs
    }

    @Test("expired months are dropped whole, the boundary's rows deleted by batches; kept runs keep their partitions; dry run drops nothing", arguments: partitioned)
    func dropsExpiredPartitions(backend: TestBackend) throws {
        let runs = Self.months()
        let fixture = try Fixture(backend, runs: runs)
        defer { fixture.close() }
        let before = try fixture.partitions()
        var options = PurgeOptions(retention: Self.retention)
        options.batchSize = 5
        options.dryRun = true
        let dry = try fixture.db.runs.purge(options)
        #expect(!dry.droppedPartitions.isEmpty)
        #expect(try fixture.partitions() == before, "the dry run dropped a partition")
        #expect(try fixture.remaining().count == runs.count)

        options.dryRun = false
        let summary = try fixture.db.runs.purge(options)
        let expected = Set(zip(runs, fixture.ids).filter { !$0.0.purged }.map(\.1))
        #expect(try fixture.remaining() == expected)
        #expect(summary.droppedPartitions.map(\.name) == dry.droppedPartitions.map(\.name), "the dry run named other partitions")
        let dropped = Set(summary.droppedPartitions.map { String($0.name.split(separator: ".").last!) })
        #expect(dropped.count >= 3, "\(dropped)")
        #expect(try fixture.partitions() == before.subtracting(dropped))
        #expect(summary.rows > 0, "the boundary month's expired rows go by batches")
        // Every row a dropped partition held was purgeable; every partition holding a kept run stayed.
        let rowsByBatches = summary.rows
        let droppedRows = runs.filter(\.purged).count - rowsByBatches
        #expect(droppedRows > 0)

        let again = try fixture.db.runs.purge(options)
        #expect(again.rows == 0 && again.droppedPartitions.isEmpty, "a second purge found more to do")
    }

    @Test("generated runs: a partitioned purge leaves exactly the runs a row-by-row purge leaves", arguments: partitioned)
    func generated(backend: TestBackend) async throws {
        // Each generated number is one run: its status, age, run time and whether it finished.
        func run(_ seed: Int) -> Run {
            let status = ["succeeded", "failed", "cancelled", "running", "queued"][seed % 5]
            let created = (seed / 5) % 331
            let took = (seed / 1_655) % 121
            let finished = (seed / 200_255) % 21 != 0
            // Ages a whole number of days plus a fraction: never at a cutoff, where the model
            // and the database (whose clock moved on since the insert) could disagree.
            return Run(status: status, createdDaysAgo: Double(created) + 0.25, finishedDaysAgo: finished ? Double(max(created - took, 0)) + 0.125 : nil)
        }
        await propertyCheck(count: 15, input: Gen.int(in: 0...Int(Int32.max)).array(of: 0...150), Gen.bool) { seeds, keepPartitions in
            let runs = seeds.map(run)
            do {
                let fixture = try Fixture(backend, runs: runs)
                defer { fixture.close() }
                var options = PurgeOptions(retention: Self.retention)
                options.batchSize = 4
                options.dropPartitions = !keepPartitions
                let summary = try fixture.db.runs.purge(options)
                let expected = Set(zip(runs, fixture.ids).filter { !$0.0.purged }.map(\.1))
                let remaining = try fixture.remaining()
                #expect(remaining == expected, "kept wrongly: \(zip(runs, fixture.ids).filter { remaining.contains($0.1) != expected.contains($0.1) }.map(\.0))")
                if keepPartitions { #expect(summary.droppedPartitions.isEmpty) }
            } catch {
                Issue.record(error)
            }
        }
    }

    @Test("--archive-table: PostgreSQL copies a dropped partition into the archive in the drop's transaction; MySQL deletes by batches (DDL commits alone)", arguments: partitioned)
    func archive(backend: TestBackend) throws {
        let runs = Self.months()
        let fixture = try Fixture(backend, runs: runs)
        defer { fixture.close() }
        var options = PurgeOptions(retention: Self.retention)
        options.archiveTable = try SQLIdentifier("task_runs_archive")
        let summary = try fixture.db.runs.purge(options)
        #expect(summary.droppedPartitions.isEmpty == (backend == .mysql))
        let purgedIds = zip(runs, fixture.ids).filter { $0.0.purged }.map(\.1)
        let archived = try fixture.db.query("SELECT id FROM task_runs_archive", []).map { try $0.decode(Int64.self, at: 0) }
        #expect(archived.sorted() == purgedIds.sorted(), "each purged run in the archive exactly once")
        #expect(try fixture.remaining() == Set(fixture.ids).subtracting(purgedIds))
    }

    @Test("--export: rows leave by the walk's exactly-once batches, no partition dropped; --kind too", arguments: partitioned)
    func exportAndKindWalk(backend: TestBackend) throws {
        let runs = Self.months()
        let fixture = try Fixture(backend, runs: runs)
        defer { fixture.close() }
        let folder = try TemporaryDirectory.make()
        var options = PurgeOptions(retention: Self.retention)
        options.exportPath = folder.appending("purged.jsonl")
        let summary = try fixture.db.runs.purge(options)
        #expect(summary.droppedPartitions.isEmpty)
        let lines = try String(contentsOfFile: folder.appending("purged.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == runs.filter(\.purged).count)

        var byKind = PurgeOptions(retention: Self.retention)
        byKind.kind = "job"
        #expect(try fixture.db.runs.purge(byKind).droppedPartitions.isEmpty)
    }

    @Test("pg_partman: the partitions it made are dropped like any others, and its maintenance goes on afterwards")
    func pgPartman() throws {
        let base = try RunFixture(.postgresql)
        defer { base.close() }
        let db = base.connection
        for statement in [
            "CREATE SCHEMA partman", "CREATE EXTENSION pg_partman SCHEMA partman",
            "CREATE TABLE partman_runs (LIKE task_runs INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)",
            "DROP TABLE task_runs", "ALTER TABLE partman_runs RENAME TO task_runs",
            "CREATE INDEX task_runs_retention_idx ON task_runs (status, finished_at, id)",
            "SELECT partman.create_parent('public.task_runs', 'created_at', 'native', 'monthly', p_premake := 2, p_start_partition := CAST(date_trunc('month', now() - interval '12 months') AS text))",
        ] {
            try db.execute(statement, [])
        }
        let runs = Self.months()
        let p = db.dialect.placeholder
        for (index, run) in runs.enumerated() {
            let created = base.now.adding(seconds: -run.createdDaysAgo * Self.day)
            let finished = run.finishedDaysAgo.map { DatabaseValue.timestamp(base.now.adding(seconds: -$0 * Self.day)) } ?? .null
            try db.execute(
                "INSERT INTO task_runs (id, kind, status, created_at, started_at, finished_at) VALUES (\(p(1)), 'job', \(p(2)), \(p(3)), \(p(3)), \(p(4)))",
                [.integer(Int64(index + 1)), .text(run.status), .timestamp(created), finished])
        }
        try db.execute("ANALYZE task_runs", [])
        let before = try db.queryValue(Int.self, "SELECT COUNT(*) FROM partman.show_partitions('public.task_runs')")

        let summary = try db.runs.purge(PurgeOptions(retention: Self.retention))
        #expect(summary.droppedPartitions.count >= 3, "\(summary.droppedPartitions.map(\.name))")
        let kept = Set(runs.enumerated().filter { !$0.element.purged }.map { Int64($0.offset + 1) })
        #expect(Set(try db.query("SELECT id FROM task_runs", []).map { try $0.decode(Int64.self, at: 0) }) == kept)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM partman.show_partitions('public.task_runs')") == before - summary.droppedPartitions.count)
        try db.execute("SELECT partman.run_maintenance('public.task_runs')", [])
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM partman.show_partitions('public.task_runs')") >= before - summary.droppedPartitions.count)
    }

    @Test("PostgreSQL: a partition an interrupted purge detached and marked is dropped by the next purge; an unmarked table never")
    func detachedLeftovers() throws {
        let fixture = try Fixture(.postgresql, runs: Self.months())
        defer { fixture.close() }
        let db = fixture.db
        let old = "task_runs_p" + String(fixture.base.now.adding(seconds: -200 * Self.day).sqlText.prefix(7)).replacingOccurrences(of: "-", with: "_")
        let other = "task_runs_p" + String(fixture.base.now.adding(seconds: -230 * Self.day).sqlText.prefix(7)).replacingOccurrences(of: "-", with: "_")
        // What an interrupted purge leaves: detached and marked, not dropped.
        var names = TaskTable.taskRuns.identifiers
        names["partition"] = try SQLIdentifier("public.\(old)")
        try db.execute(SQL.Partitions.Detach(), names: names)
        try db.execute(SQL.Partitions.MarkDetached(), names: names)
        // A table detached by hand, unmarked: not TaskWarden's to drop.
        try db.execute("ALTER TABLE task_runs DETACH PARTITION \(other)", [])
        let summary = try db.runs.purge(PurgeOptions(retention: Self.retention))
        #expect(summary.droppedLeftovers == ["public.\(old)"])
        let tables = Set(try db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", []).map { try $0.decode(String.self, at: 0) })
        #expect(!tables.contains(old))
        #expect(tables.contains(other))
    }

    @Test("a partition bound parses back to the instant it was written from, in every catalog form")
    func boundsRoundTrip() async {
        let utc = TimeCoding()
        let shanghai = TimeCoding(zone: try! MappedTimeZone(named: "Asia/Shanghai"))
        await propertyCheck(count: 300, input: Gen.int64(in: 0...4_000_000_000)) { seconds in
            let instant = Timestamp(microsecondsSinceEpoch: seconds * 1_000_000)
            let text = instant.sqlText.prefix(19)
            // PostgreSQL, timestamptz: the bound carries its offset.
            #expect(TablePartition.end(of: "FOR VALUES FROM (MINVALUE) TO ('\(text)+00')", key: .column("c"), times: shanghai) == instant)
            // PostgreSQL timestamp / MySQL RANGE COLUMNS: the table zone's wall clock.
            let wall = shanghai.zone.wallClock(at: instant).sqlText.prefix(19)
            #expect(TablePartition.end(of: "FOR VALUES FROM ('2000-01-01') TO ('\(wall)')", key: .column("c"), times: shanghai) == instant)
            #expect(TablePartition.end(of: "'\(text)'", key: .column("c"), times: utc) == instant)
            // MySQL RANGE (UNIX_TIMESTAMP(c)).
            #expect(TablePartition.end(of: "\(seconds)", key: .unixSeconds("c"), times: utc) == instant)
            // MySQL RANGE (TO_DAYS(c)): midnight of the day.
            let days = seconds / 86_400 + 719_528
            #expect(TablePartition.end(of: "\(days)", key: .days("c"), times: utc) == Timestamp(microsecondsSinceEpoch: (seconds / 86_400) * 86_400 * 1_000_000))
        }
        for unbounded in ["DEFAULT", "FOR VALUES FROM ('2020-01-01') TO (MAXVALUE)", "MAXVALUE", "FOR VALUES IN ('a')", "FOR VALUES WITH (modulus 4, remainder 1)", "", "'nonsense'"] {
            #expect(TablePartition.end(of: unbounded, key: .column("c"), times: utc) == nil, "\(unbounded)")
        }
    }

    @Test("partition keys: a range over one column, or TO_DAYS/UNIX_TIMESTAMP of one; nothing else")
    func keys() {
        #expect(TablePartition.Key(catalogText: "RANGE (created_at)") == .column("created_at"))
        #expect(TablePartition.Key(catalogText: "RANGE COLUMNS (`created_at`)") == .column("created_at"))
        #expect(TablePartition.Key(catalogText: "RANGE (to_days(`finished_at`))") == .days("finished_at"))
        #expect(TablePartition.Key(catalogText: "RANGE (unix_timestamp(`created_at`))") == .unixSeconds("created_at"))
        #expect(TablePartition.Key(catalogText: "RANGE (\"created_at\")") == .column("created_at"))
        for other in ["HASH (id)", "LIST (queue)", "RANGE (created_at, id)", "RANGE (year(created_at))", "KEY (id)", "RANGE ()", "RANGE created_at"] {
            #expect(TablePartition.Key(catalogText: other) == nil, "\(other)")
        }
    }
}

extension DatabaseConnection {
    fileprivate var runs: TaskRuns { TaskRuns(connection: self, actor: "tester") }
}
