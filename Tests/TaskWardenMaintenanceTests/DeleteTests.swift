import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A table to delete from: TaskWarden's `task_runs`, or a mapped table with text ids and a
/// parent (`scan_runs` under `scan_tasks`), each in a migrated database of its own.
struct DeleteScene {
    let fixture: RunFixture
    let mapped: Bool
    let runs: TaskRuns

    var db: any DatabaseConnection { fixture.connection }
    var table: String { mapped ? "scan_runs" : "task_runs" }
    /// An id no run has, of the id column's type.
    var missingID: String { mapped ? "run-none" : "999999" }

    init(_ backend: TestBackend, mapped: Bool) throws {
        fixture = try RunFixture(backend)
        self.mapped = mapped
        if mapped {
            let db = fixture.connection
            try db.execute("CREATE TABLE scan_tasks (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
            try db.execute("""
                CREATE TABLE scan_runs (id VARCHAR(40) PRIMARY KEY, task_id VARCHAR(40), status VARCHAR(20) NOT NULL, kind VARCHAR(20),
                    started_at TIMESTAMP NULL, finished_at TIMESTAMP NULL, error TEXT)
                """, [])
            try db.execute("INSERT INTO scan_tasks (id, status) VALUES ('t-1', 'succeeded')", [])
            let config = try TaskWardenConfiguration.parse("table: {name: scan_runs, parent: {name: scan_tasks, key: task_id}}")
            runs = TaskRuns(connection: db, table: try config.table.fillingColumnsByName(on: db), actor: "tester")
        } else {
            runs = fixture.runs
        }
    }

    /// Inserts a run and returns its id as text.
    @discardableResult
    func insert(_ status: String, kind: String = "job") throws -> String {
        let finished = ["succeeded", "failed", "cancelled"].contains(status) ? 60.0 : nil
        guard mapped else { return String(try fixture.insert(kind: kind, status: status, finishedMinutesAgo: finished)) }
        let id = "run-\(UUID().uuidString.prefix(8).lowercased())"
        let p = db.dialect.placeholder
        try db.execute(
            "INSERT INTO scan_runs (id, task_id, status, kind, started_at, finished_at, error) VALUES (\(p(1)), 't-1', \(p(2)), \(p(3)), \(p(4)), \(p(5)), 'e')",
            [.text(id), .text(status), .text(kind), .timestamp(fixture.ago(minutes: 120)), finished.map { .timestamp(fixture.ago(minutes: $0)) } ?? .null])
        return id
    }

    /// The ids in the table (or `archive`), sorted.
    func ids(in name: String? = nil) throws -> [String] {
        try db.query("SELECT id FROM \(name ?? table)", []).map { String.fromDatabaseValue($0["id"]!)! }.sorted()
    }

    /// Every row of the table, by id, as the driver returns it.
    func rows() throws -> [String: [DatabaseValue]] {
        Dictionary(uniqueKeysWithValues: try db.query("SELECT * FROM \(table)", []).map { (String.fromDatabaseValue($0["id"]!)!, $0.values) })
    }

    func close() { fixture.close() }
}

@Suite("Deleting finished runs")
struct DeleteTests {
    @Test(
        "delete takes finished runs only; runs named by id that are queued, running, missing or not selected are named with why; one journal entry per deleted run",
        arguments: TestBackend.allCases, [false, true])
    func finishedOnly(backend: TestBackend, mapped: Bool) throws {
        let scene = try DeleteScene(backend, mapped: mapped)
        defer { scene.close() }
        let succeeded = try scene.insert("succeeded")
        let failed = try scene.insert("failed")
        let running = try scene.insert("running")
        let queued = try scene.insert("queued")
        let report = try scene.insert("succeeded", kind: "report")
        let cancelled = try scene.insert("cancelled", kind: "report")
        let runs = scene.runs

        let filter = DeleteFilter(ids: [succeeded, failed, running, queued, scene.missingID, cancelled], kinds: ["job"])
        let preview = try runs.previewDelete(filter, reason: "INC-9")
        #expect(preview.count == 2)
        #expect(Set(preview.sample.map { String.fromDatabaseValue($0.id)! }) == [succeeded, failed])
        let expected: [RefusedRun] = [
            RefusedRun(id: running, reason: .notFinished(status: "running")), RefusedRun(id: queued, reason: .notFinished(status: "queued")),
            RefusedRun(id: scene.missingID, reason: .missing), RefusedRun(id: cancelled, reason: .notSelected(status: "cancelled")),
        ]
        #expect(preview.refused == expected)

        let result = try runs.delete(filter, reason: "INC-9")
        #expect(result.deleted.count == 2 && result.skipped == 0)
        #expect(result.refused == expected)
        #expect(Set(result.deleted.sample.map { $0.newStatus }) == ["deleted"])
        #expect(try scene.ids() == [running, queued, report, cancelled].sorted())
        let batch = try #require(result.batchID)
        let entries = try runs.journal(batchID: batch)
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.operation == .delete && $0.newStatus == nil && $0.reason == "INC-9" && $0.actor == "tester" })
        #expect(entries.allSatisfy { $0.oldValues.isEmpty && $0.targetTable == scene.table })
        #expect(Set(entries.map { "\($0.runID) \($0.oldStatus ?? "")" }) == ["\(succeeded) succeeded", "\(failed) failed"])
        // Without an archive there is nothing to put back: undo refuses and changes nothing.
        #expect(throws: MaintenanceError(.deleteNotArchived(batch))) { try runs.undo(batchID: batch) }

        // Status and kind filters combine.
        let reports = try runs.delete(DeleteFilter(kinds: ["report"], statuses: [.succeeded]), reason: "old reports")
        #expect(reports.deleted.count == 1)
        #expect(try scene.ids() == [running, queued, cancelled].sorted())
        #expect(throws: MaintenanceError(.deleteUnfinished(.running))) { try runs.previewDelete(DeleteFilter(statuses: [.running]), reason: "x") }
        #expect(throws: MaintenanceError(.noRunsToDelete)) { try runs.delete(DeleteFilter(), reason: "x") }
        #expect(try runs.delete(DeleteFilter(ids: [running, queued]), reason: "x").deleted.count == 0)
        #expect(try scene.ids() == [running, queued, cancelled].sorted())
    }

    @Test(
        "with an archive table each deleted row lands there once; undo puts every row back whole, once, and empties the archive",
        arguments: TestBackend.allCases, [false, true])
    func archiveAndUndo(backend: TestBackend, mapped: Bool) throws {
        let scene = try DeleteScene(backend, mapped: mapped)
        defer { scene.close() }
        var finished: [String] = []
        for index in 0..<7 { finished.append(try scene.insert(["succeeded", "failed", "cancelled"][index % 3])) }
        let live = [try scene.insert("running"), try scene.insert("queued")]
        let before = try scene.rows()
        let runs = scene.runs
        let archive = try SQLIdentifier("deleted_runs")
        let options = DeleteOptions(archiveTable: archive, bulk: BulkOptions(batchSize: 2))

        let result = try runs.delete(DeleteFilter(kinds: ["job"]), reason: "cleanup", options: options)
        #expect(result.deleted.count == 7 && result.deleted.batches == 4)
        #expect(try scene.ids() == live.sorted())
        #expect(try scene.ids(in: "deleted_runs") == finished.sorted(), "every deleted row, once")
        let batch = try #require(result.batchID)
        let entries = try runs.journal(batchID: batch)
        #expect(entries.count == 7)
        #expect(entries.allSatisfy { $0.oldValues["archive_table"] == .text("deleted_runs") })

        let dry = try runs.undo(batchID: batch, dryRun: true)
        #expect(dry.restored.count == 7 && dry.batchID == nil)
        #expect(try scene.ids() == live.sorted())

        let undone = try runs.undo(batchID: batch, options: BulkOptions(batchSize: 3))
        #expect(undone.restored.count == 7 && undone.skipped.count == 0)
        #expect(Set(undone.restored.sample.map(\.oldStatus)) == ["deleted"])
        #expect(try scene.rows() == before, "every column as it was")
        #expect(try scene.ids(in: "deleted_runs") == [], "moved back, not copied")
        // Run again, it puts nothing back twice.
        let again = try runs.undo(batchID: batch)
        #expect(again.restored.count == 0 && again.skipped.count == 7 && again.batchID == nil)
        // Its undo has no status to go back to: refused.
        let undoBatch = try #require(undone.batchID)
        #expect(throws: MaintenanceError(.undoOfRestore(undoBatch))) { try runs.undo(batchID: undoBatch) }
        // show's history lists the delete and its undo.
        let detail = try #require(try runs.show(id: finished[0]))
        #expect(detail.journal?.map(\.operation) == [.delete, .undo])

        // Deleted again, each row is archived once again.
        let second = try runs.delete(DeleteFilter(kinds: ["job"]), reason: "again", options: options)
        #expect(second.deleted.count == 7)
        #expect(try scene.ids(in: "deleted_runs") == finished.sorted())
        // An archive dropped since: undo says so, and changes nothing.
        try scene.db.execute("DROP TABLE deleted_runs", [])
        let secondBatch = try #require(second.batchID)
        #expect(throws: MaintenanceError(.archiveMissing(archive: "deleted_runs", batch: secondBatch))) { try runs.undo(batchID: secondBatch) }
        #expect(try scene.ids() == live.sorted())
    }

    @Test(
        "the export holds every deleted row exactly once, also after a batch was written but never committed",
        arguments: TestBackend.allCases, [false, true])
    func exportExactlyOnce(backend: TestBackend, mapped: Bool) throws {
        let scene = try DeleteScene(backend, mapped: mapped)
        defer { scene.close() }
        var deleted: [String] = []
        for index in 0..<5 { deleted.append(try scene.insert(index % 2 == 0 ? "succeeded" : "failed", kind: "a")) }
        for _ in 0..<4 { deleted.append(try scene.insert("failed", kind: "b")) }
        try scene.insert("running", kind: "b")
        let path = try TemporaryDirectory.make().appending("deleted.jsonl")
        let options = DeleteOptions(exportPath: path, bulk: BulkOptions(batchSize: 2))
        #expect(try scene.runs.delete(DeleteFilter(kinds: ["a"]), reason: "export", options: options).deleted.count == 5)

        // A kill between writing a batch and committing its delete: rows still in the table
        // appended, after the pending marker that precedes them.
        let survivors = try scene.db.query("SELECT * FROM \(scene.table) WHERE kind = 'b' AND status = 'failed' ORDER BY id", []).prefix(2)
        let length = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
        let ids: [Any] = survivors.map { row in scene.mapped ? String.fromDatabaseValue(row["id"]!)! as Any : Int64.fromDatabaseValue(row["id"]!)! as Any }
        try JSONSerialization.data(withJSONObject: ["length": length, "ids": ids]).write(to: URL(fileURLWithPath: path + ".pending"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        for _ in survivors { try handle.write(contentsOf: Data("{\"uncommitted\":true}\n".utf8)) }
        try handle.close()

        #expect(try scene.runs.delete(DeleteFilter(kinds: ["b"]), reason: "export", options: options).deleted.count == 4)
        let exported = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["uncommitted"] == nil, "a batch that never committed stayed in the export")
            return "\(object["id"] ?? "")"
        }
        #expect(exported.sorted() == deleted.sorted())
        #expect(!FileManager.default.fileExists(atPath: path + ".pending"))
    }

    @Test("undo puts rows back into a PostgreSQL table whose id is GENERATED ALWAYS, with their ids")
    func generatedAlwaysIdentity() throws {
        let fixture = try RunFixture(.postgresql)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute(
            "CREATE TABLE jobs (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status TEXT NOT NULL, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ)", [])
        try db.execute("INSERT INTO jobs (status, started_at, finished_at) VALUES ('succeeded', now(), now()), ('running', now(), NULL), ('failed', now(), now())", [])
        let config = try TaskWardenConfiguration.parse("table: {name: jobs}")
        let runs = TaskRuns(connection: db, table: try config.table.fillingColumnsByName(on: db), actor: "tester")
        let result = try runs.delete(DeleteFilter(statuses: [.succeeded, .failed]), reason: "x", options: DeleteOptions(archiveTable: try SQLIdentifier("jobs_deleted")))
        #expect(result.deleted.count == 2)
        #expect(try runs.undo(batchID: try #require(result.batchID)).restored.count == 2)
        #expect(try db.query("SELECT id FROM jobs ORDER BY id", []).map { try $0.decode(Int64.self, "id") } == [1, 2, 3])
    }

    @Test("a run requeued between the preview and the delete stays", arguments: TestBackend.allCases)
    func requeuedMeanwhile(backend: TestBackend) throws {
        let scene = try DeleteScene(backend, mapped: false)
        defer { scene.close() }
        let ids = [try scene.insert("failed"), try scene.insert("failed"), try scene.insert("succeeded")]
        let filter = DeleteFilter(ids: ids)
        #expect(try scene.runs.previewDelete(filter, reason: "x").count == 3)
        try scene.db.execute("UPDATE task_runs SET status = 'queued', finished_at = NULL WHERE id = \(ids[1])", [])
        let result = try scene.runs.delete(filter, reason: "x")
        #expect(result.deleted.count == 2)
        #expect(result.refused == [RefusedRun(id: ids[1], reason: .notFinished(status: "queued"))])
        #expect(try scene.ids() == [ids[1]])
    }

    @Test("generated: random statuses and ids; exactly the finished runs named are deleted, and undo restores them all", arguments: TestBackend.allCases)
    func generated(backend: TestBackend) async throws {
        let statuses = ["queued", "running", "succeeded", "failed", "cancelled"]
        await propertyCheck(count: 8, input: Gen.int(in: 0...4).array(of: 1...20), Gen.int(in: 0...2).array(of: 20...20), Gen.int(in: 1...5)) {
            picks, named, batchSize in
            do {
                let scene = try DeleteScene(backend, mapped: batchSize % 2 == 0)
                defer { scene.close() }
                let ids = try picks.map { try scene.insert(statuses[$0]) }
                let before = try scene.rows()
                let chosen = ids.indices.filter { named[$0] != 0 }
                let deletable = Set(chosen.filter { picks[$0] >= 2 }.map { ids[$0] })
                let options = DeleteOptions(archiveTable: try SQLIdentifier("generated_archive"), bulk: BulkOptions(batchSize: batchSize))
                let result = try scene.runs.delete(DeleteFilter(ids: chosen.map { ids[$0] } + [scene.missingID]), reason: "generated", options: options)
                #expect(result.deleted.count == deletable.count)
                #expect(Set(try scene.ids()) == Set(ids).subtracting(deletable))
                #expect(Set(result.refused.map(\.id)) == Set(chosen.map { ids[$0] }).subtracting(deletable).union([scene.missingID]))
                if let batch = result.batchID {
                    #expect(try scene.runs.undo(batchID: batch).restored.count == deletable.count)
                }
                #expect(try scene.rows() == before)
                #expect(try scene.ids(in: "generated_archive") == [])
            } catch {
                Issue.record(error)
            }
        }
    }
}
