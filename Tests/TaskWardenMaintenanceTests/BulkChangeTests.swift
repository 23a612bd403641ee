import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Bulk changes at thousands of runs per batch: one journal entry per changed run, the set
/// decisions (requeue or fail, keep a finish time) made right, and undo restoring every column.
@Suite("Bulk changes at scale")
struct BulkChangeTests {
    /// Inserts `count` runs into `table` (TaskWarden's columns), `rowsPerStatement` at a time.
    /// `values(i)` gives run i's `[kind, status, started_at, heartbeat_at, finished_at, worker,
    /// attempt, max_attempts]`.
    static func insert(_ db: any DatabaseConnection, table: String = "task_runs", count: Int, values: (Int) -> [DatabaseValue]) throws {
        let columns = "kind, status, started_at, heartbeat_at, finished_at, worker, attempt, max_attempts"
        let perRow = 8
        let rowsPerStatement = 250
        var start = 0
        while start < count {
            let rows = start..<min(start + rowsPerStatement, count)
            var parameters: [DatabaseValue] = []
            var tuples: [String] = []
            for i in rows {
                let base = parameters.count
                parameters += values(i)
                tuples.append("(" + (1...perRow).map { db.dialect.placeholder(base + $0) }.joined(separator: ", ") + ")")
            }
            try db.execute("INSERT INTO \(table) (\(columns)) VALUES \(tuples.joined(separator: ", "))", parameters)
            start += rowsPerStatement
        }
    }

    static func snapshot(_ db: any DatabaseConnection, _ table: String = "task_runs") throws -> [Row] {
        try db.query("SELECT * FROM \(table) ORDER BY id")
    }

    /// Entries of `batch`, and how many distinct runs they name.
    static func journal(_ db: any DatabaseConnection, batch: String) throws -> (entries: Int, runs: Int) {
        let row = try #require(try db.queryFirst(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT run_id) AS runs FROM task_run_events WHERE batch_id = \(db.dialect.placeholder(1))", [.text(batch)]))
        return (try row.decode(Int.self, "n"), try row.decode(Int.self, "runs"))
    }

    static func count(_ db: any DatabaseConnection, _ condition: String) throws -> Int {
        try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE \(condition)")
    }

    @Test("recover --to queued of 12 000 runs in batches of 5 000: one entry per changed run, requeue or fail by attempts, undo restores every column", arguments: TestBackend.allCases)
    func recoverAtScale(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        // Run i: alive (heartbeat a minute ago) when i % 7 == 0, else stuck; attempts used up
        // when i % 3 == 0; kind a or b.
        try Self.insert(db, count: 12_000) { i in
            [.text(i % 2 == 0 ? "a" : "b"), .text("running"), .timestamp(fixture.ago(minutes: 120)),
             i % 7 == 0 ? .timestamp(fixture.ago(minutes: 1)) : (i % 5 == 0 ? .timestamp(fixture.ago(minutes: 90)) : .null), .null,
             .text("worker-\(i % 13)"), .integer(i % 3 == 0 ? 3 : 1), .integer(3)]
        }
        let stuck = (0..<12_000).filter { $0 % 7 != 0 }
        let exhausted = stuck.filter { $0 % 3 == 0 }.count
        let before = try Self.snapshot(db)

        let result = try fixture.runs.recover(
            RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), target: .queued, reason: "scale"),
            bulk: BulkOptions(batchSize: 5_000, sampleSize: 10))
        #expect(result.changed.count == stuck.count)
        #expect(result.found == stuck.count)
        #expect(result.skipped == 0)
        #expect(result.changed.sample.count == 10, "the result holds a sample, not every run")
        #expect(result.changed.byStatus == ["queued": stuck.count - exhausted, "failed": exhausted])
        let batch = try #require(result.batchID)
        let journal = try Self.journal(db, batch: batch)
        #expect(journal.entries == stuck.count && journal.runs == stuck.count, "one journal entry per changed run")
        #expect(try Self.count(db, "status = 'queued' AND started_at IS NULL AND heartbeat_at IS NULL AND worker IS NULL AND finished_at IS NULL") == stuck.count - exhausted)
        #expect(try Self.count(db, "status = 'failed' AND attempt = 3 AND finished_at IS NOT NULL AND started_at IS NOT NULL") == exhausted)
        #expect(try Self.count(db, "status = 'running'") == 12_000 - stuck.count)

        let undo = try fixture.runs.undo(batchID: batch)
        #expect(undo.restored.count == stuck.count)
        #expect(undo.skipped.isEmpty)
        #expect(try Self.snapshot(db) == before, "undo restored every column of every run")
    }

    @Test("reset of 12 000 runs in batches of 5 000, finished ones keeping their finish time: one entry each, undo restores every column", arguments: TestBackend.allCases)
    func resetAtScale(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try Self.insert(db, count: 12_000) { i in
            let finished = i % 4 == 0
            return [.text("a"), .text(finished ? "succeeded" : (i % 4 == 1 ? "queued" : "running")), .timestamp(fixture.ago(minutes: 60)),
                    .null, finished ? .timestamp(fixture.ago(minutes: 30)) : .null, .text("w"), .integer(1), .integer(3)]
        }
        let before = try Self.snapshot(db)
        let result = try fixture.runs.reset(
            ResetFilter(statuses: [.running, .succeeded]), to: .cancelled, reason: "INC-9", options: BulkOptions(batchSize: 5_000))
        #expect(result.changed.count == 9_000)
        #expect(result.changed.sample.count == 20)
        let batch = try #require(result.batchID)
        let journal = try Self.journal(db, batch: batch)
        #expect(journal.entries == 9_000 && journal.runs == 9_000)
        let cutoff = db.dialect.placeholder(1)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'cancelled' AND finished_at < \(cutoff)", [.timestamp(fixture.ago(minutes: 20))]) == 3_000,
                "the finished runs kept their finish time")
        #expect(try Self.count(db, "status = 'queued'") == 3_000)
        _ = try fixture.runs.undo(batchID: batch)
        #expect(try Self.snapshot(db) == before)
    }

    @Test("every time format: recover --to queued in batches, undo, undo of the undo", arguments: TestBackend.allCases, TimeFormat.allCases)
    func timeFormats(backend: TestBackend, format: TimeFormat) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let timeType: String
        switch (format, backend) {
        case (.native, .mysql): timeType = "DATETIME(6) NULL"
        case (.native, _): timeType = "TIMESTAMP NULL"
        case (.text, _), (.iso8601, _): timeType = "VARCHAR(40) NULL"
        case (.unixSeconds, _), (.unixMilliseconds, _): timeType = "BIGINT NULL"
        }
        try db.execute("""
            CREATE TABLE tf_runs (id INTEGER PRIMARY KEY \(backend == .sqlite ? "" : (backend == .mysql ? "AUTO_INCREMENT" : "GENERATED BY DEFAULT AS IDENTITY")),
                kind VARCHAR(20), status VARCHAR(20) NOT NULL, started_at \(timeType), heartbeat_at \(timeType), finished_at \(timeType),
                worker VARCHAR(40), attempt INTEGER, max_attempts INTEGER, error_message TEXT)
            """, [])
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: tf_runs
              columns: {kind: kind, started_at: started_at, heartbeat_at: heartbeat_at, finished_at: finished_at, worker: worker, attempt: attempt, max_attempts: max_attempts, error: error_message}
              time_format: \(format.rawValue)
            """)
        // Times with microseconds (milliseconds, seconds) as the format keeps them.
        func time(minutesAgo: Double, _ i: Int) -> DatabaseValue {
            format.encode(fixture.ago(minutes: minutesAgo).adding(seconds: Double(i % 1_000) / 1_000 + Double(i % 7) / 1_000_000))
        }
        try Self.insert(db, table: "tf_runs", count: 3_000) { i in
            [.text("k"), .text("running"), time(minutesAgo: 120, i), i % 2 == 0 ? time(minutesAgo: 100, i) : .null,
             i % 5 == 0 ? time(minutesAgo: 110, i) : .null, .text("w\(i)"), .integer(i % 3 == 0 ? 3 : 1), .integer(3)]
        }
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let before = try Self.snapshot(db, "tf_runs")
        let result = try runs.recover(
            RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), target: .queued, reason: "formats"),
            bulk: BulkOptions(batchSize: 1_000))
        #expect(result.changed.count == 3_000)
        let changed = try Self.snapshot(db, "tf_runs")
        let undo = try runs.undo(batchID: try #require(result.batchID))
        #expect(undo.restored.count == 3_000)
        #expect(try Self.snapshot(db, "tf_runs") == before, "undo restored every column in format \(format)")
        let redo = try runs.undo(batchID: try #require(undo.batchID))
        #expect(redo.restored.count == 3_000)
        #expect(try Self.snapshot(db, "tf_runs") == changed, "undoing the undo brought back what recover set")
    }

    @Test("journal entries written by earlier versions (old_values encoded in Swift) still undo", arguments: TestBackend.allCases)
    func earlierJournalEntries(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let p = db.dialect.placeholder
        let started = Timestamp(microsecondsSinceEpoch: fixture.ago(minutes: 90).microsecondsSinceEpoch / 1_000_000 * 1_000_000 + 123_456)
        let heartbeat = started.adding(seconds: 60)
        let failed = try fixture.insert(status: "failed", finishedMinutesAgo: 1)
        try db.execute("UPDATE task_runs SET error = 'stuck: marked failed' WHERE id = \(p(1))", [.integer(failed)])
        let requeued = try fixture.insert(status: "queued", startedMinutesAgo: nil)
        try db.execute("UPDATE task_runs SET worker = NULL, error = 'requeued' WHERE id = \(p(1))", [.integer(requeued)])
        // As TaskWarden wrote them before bulk changes: JSONSerialization, sorted keys, times
        // as Timestamp.iso8601.
        let entries: [(Int64, String, String)] = [
            (failed, "failed", #"{"finished_at":null,"note":null}"#),
            (requeued, "queued", #"{"finished_at":null,"heartbeat_at":"\#(heartbeat.iso8601)","note":null,"started_at":"\#(started.iso8601)","worker":"worker-7"}"#),
        ]
        for (id, status, values) in entries {
            try db.execute(
                "INSERT INTO task_run_events (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor) VALUES ('task_runs', \(p(1)), 'recover', 'running', \(p(2)), 'old-batch', 'host died', \(p(3)), 'oncall')",
                [.text(String(id)), .text(status), .text(values)])
        }
        let undo = try fixture.runs.undo(batchID: "old-batch")
        #expect(undo.restored.count == 2)
        let first = try fixture.row(failed)
        #expect(try first.decode(String.self, "status") == "running")
        #expect(try first.decode(Timestamp?.self, "finished_at") == nil)
        #expect(try first.decode(String?.self, "error") == nil)
        let second = try fixture.row(requeued)
        #expect(try second.decode(String.self, "status") == "running")
        #expect(try second.decode(Timestamp?.self, "started_at") == started)
        #expect(try second.decode(Timestamp?.self, "heartbeat_at") == heartbeat)
        #expect(try second.decode(String?.self, "worker") == "worker-7")
        #expect(try second.decode(String?.self, "error") == nil)
    }

    /// A connection for the "workers" of a property, used only from the thread that calls the
    /// progress callback.
    final class Worker: @unchecked Sendable {
        let db: any DatabaseConnection
        var random: UInt64
        var finished: Set<Int64> = []
        var heartbeated: Set<Int64> = []
        let ids: [Int64]
        let fraction: Int

        init(db: any DatabaseConnection, seed: UInt64, ids: [Int64], fraction: Int) {
            self.db = db
            random = seed | 1
            self.ids = ids
            self.fraction = fraction
        }

        func next() -> UInt64 {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            return random
        }

        /// Between two batches: some random runs finish, some send a heartbeat, each by a
        /// compare-and-set on `running`, as a worker does.
        func act(now: Timestamp) {
            let p = db.dialect.placeholder
            for _ in 0..<(ids.count * fraction / 100) {
                let id = ids[Int(next() % UInt64(ids.count))]
                if next() % 2 == 0 {
                    if (try? db.execute("UPDATE task_runs SET status = 'succeeded', finished_at = \(p(1)) WHERE id = \(p(2)) AND status = 'running'", [.timestamp(now), .integer(id)])) == 1 {
                        finished.insert(id)
                    }
                } else if (try? db.execute("UPDATE task_runs SET heartbeat_at = \(p(1)) WHERE id = \(p(2)) AND status = 'running'", [.timestamp(now), .integer(id)])) == 1 {
                    heartbeated.insert(id)
                }
            }
        }
    }

    @Test("generated: runs finishing and heartbeating between batches; journal == changed, undo restores exactly the journaled runs", arguments: TestBackend.allCases)
    func concurrentBetweenBatches(backend: TestBackend) async throws {
        await propertyCheck(count: 3, input: Gen.int(in: 1...1_000_000), Gen.int(in: 1...20), Gen.int(in: 50...400)) { seed, fraction, batchSize in
            do {
                let fixture = try RunFixture(backend)
                defer { fixture.close() }
                let db = fixture.connection
                try Self.insert(db, count: 1_500) { i in
                    [.text("k"), .text("running"), .timestamp(fixture.ago(minutes: 120)), .null, .null, .text("w"), .integer(1), .integer(3)]
                }
                let ids = try db.query("SELECT id FROM task_runs ORDER BY id").map { try $0.decode(Int64.self, "id") }
                let before = try Self.snapshot(db)
                let other = try fixture.database.connect()
                defer { other.close() }
                let worker = Worker(db: other, seed: UInt64(seed), ids: ids, fraction: fraction)
                let now = fixture.now
                let result = try fixture.runs.recover(
                    RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), reason: "property"),
                    bulk: BulkOptions(batchSize: batchSize, progress: { _ in worker.act(now: now) }))
                let batch = try #require(result.batchID)
                let journaled = Set(try db.query(
                    "SELECT run_id FROM task_run_events WHERE batch_id = \(db.dialect.placeholder(1))", [.text(batch)]
                ).map { Int64(try $0.decode(String.self, "run_id"))! })
                #expect(try Self.journal(db, batch: batch).entries == result.changed.count)
                #expect(journaled.count == result.changed.count)
                let failed = Set(try db.query("SELECT id FROM task_runs WHERE status = 'failed'").map { try $0.decode(Int64.self, "id") })
                #expect(failed == journaled, "exactly the journaled runs were changed")
                #expect(journaled.isDisjoint(with: worker.finished.union(worker.heartbeated)), "no run a worker touched first was overwritten")
                #expect(result.changed.count + worker.finished.count + worker.heartbeated.subtracting(worker.finished).count == ids.count)

                _ = try fixture.runs.undo(batchID: batch)
                let after = try Self.snapshot(db)
                for (old, new) in zip(before, after) {
                    let id = try old.decode(Int64.self, "id")
                    if journaled.contains(id) { #expect(old == new, "run \(id) restored exactly") }
                }
                #expect(try Self.count(db, "status = 'failed'") == 0)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
