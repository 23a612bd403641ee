import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// The full list of a bulk change, streamed from its journal a page at a time.
@Suite("Journal streamed by pages")
struct JournalStreamTests {
    /// Each entry of the batch once, a table at a time and oldest first in each, whatever the page size.
    private func checkStream(_ runs: TaskRuns, batch: String, pageSizes: [Int]) throws {
        let db = runs.connection
        let expected = try db.query(
            "SELECT id, target_table FROM task_run_events WHERE batch_id = \(db.dialect.placeholder(1)) ORDER BY id", [.text(batch)])
        let expectedIDs = try expected.map { try $0.decode(Int64.self, "id") }
        #expect(!expectedIDs.isEmpty)
        for pageSize in pageSizes {
            var seen: [JournalEntry] = []
            try runs.forEachJournalEntry(batchID: batch, pageSize: pageSize) { seen.append($0) }
            #expect(seen.count == expectedIDs.count, "page size \(pageSize)")
            #expect(Set(seen.map(\.id)) == Set(expectedIDs), "page size \(pageSize)")
            #expect(seen.allSatisfy { $0.batchID == batch })
            // A table at a time: once the stream leaves a table it does not come back to it.
            var tablesInOrder: [String] = []
            for entry in seen where tablesInOrder.last != entry.targetTable { tablesInOrder.append(entry.targetTable) }
            #expect(tablesInOrder.count == Set(tablesInOrder).count, "\(tablesInOrder)")
            for table in tablesInOrder {
                let ids = seen.filter { $0.targetTable == table }.map(\.id)
                #expect(ids == ids.sorted(), "page size \(pageSize): \(table) not oldest first")
            }
        }
    }

    @Test("generated batches on a table with a parent: every page size lists each entry once", arguments: TestBackend.allCases)
    func generated(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE js_task (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
        try db.execute("CREATE TABLE js_execution (id INTEGER PRIMARY KEY, task_id INTEGER, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL)", [])
        let config = try TaskWardenConfiguration.parse("""
            table:
              name: js_execution
              columns: {started_at: started_at}
              statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
              parent:
                name: js_task
                key: task_id
                statuses: {queued: [PENDING], running: [RUNNING], succeeded: [SUCCESS], failed: [FAILED], cancelled: [CANCELLED]}
            """)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let p = db.dialect.placeholder
        var nextExecution = 1
        var nextTask = 1
        for round in 0..<4 {
            let tasks = Int.random(in: 1...12)
            try db.inTransaction { db in
                for _ in 0..<tasks {
                    try db.execute("INSERT INTO js_task (id, status) VALUES (\(p(1)), 'RUNNING')", [.integer(Int64(nextTask))])
                    for _ in 0..<Int.random(in: 0...30) {
                        try db.execute(
                            "INSERT INTO js_execution (id, task_id, status, started_at) VALUES (\(p(1)), \(p(2)), 'RUNNING', \(p(3)))",
                            [.integer(Int64(nextExecution)), .integer(Int64(nextTask)), .timestamp(fixture.ago(minutes: 90))])
                        nextExecution += 1
                    }
                    nextTask += 1
                }
            }
            let reset = try runs.reset(
                ResetFilter(statuses: [.running]), to: .failed, reason: "round \(round)", options: BulkOptions(batchSize: Int.random(in: 3...40)))
            guard let batch = reset.batchID else { continue }
            try checkStream(runs, batch: batch, pageSizes: [1, Int.random(in: 2...9), Int.random(in: 10...200), 1_000])
            let undo = try runs.undo(batchID: batch)
            try checkStream(runs, batch: try #require(undo.batchID), pageSizes: [Int.random(in: 1...50)])
            try db.execute("UPDATE js_execution SET status = 'SUCCESS' WHERE status = 'RUNNING'", [])
            try db.execute("UPDATE js_task SET status = 'SUCCESS' WHERE status = 'RUNNING'", [])
        }
    }

    @Test("entries since a time stream past one page, oldest first", arguments: TestBackend.allCases)
    func sinceTime(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        for _ in 0..<23 { try fixture.insert(kind: "a", startedMinutesAgo: 90, heartbeatMinutesAgo: 60) }
        let reset = try fixture.runs.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "since")
        #expect(reset.changed.count == 23)
        var seen: [Int64] = []
        try fixture.runs.forEachJournalEntry(since: fixture.ago(minutes: 10), pageSize: 5) { seen.append($0.id) }
        #expect(seen.count == 23 && seen == seen.sorted() && Set(seen).count == 23)
    }
}
