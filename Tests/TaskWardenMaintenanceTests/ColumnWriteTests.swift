import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Further columns a mapping sets on a transition (`set_on`), journaled and undone.
@Suite("Columns set on a transition")
struct ColumnWriteTests {
    static let mapping = #"""
        table:
          name: results
          columns: {started_at: started_at, finished_at: done_at, error: traceback}
          statuses: {failed: [FAILURE], running: [STARTED], cancelled: [REVOKED]}
          set_on:
            failed:
              result: '{"exc_type": "WorkerLostError", "exc_message": [{note_json}], "exc_module": "billiard.exceptions"}'
              meta: 'failed by taskwarden'
            cancelled:
              result: '{"exc_type": "TaskRevokedError", "exc_message": [{note_json}], "exc_module": "celery.exceptions"}'
        """#

    @Test("recover writes the columns set on failed, with the note as JSON; undo puts the old values back", arguments: TestBackend.allCases)
    func recoverAndUndo(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("""
            CREATE TABLE results (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, done_at TIMESTAMP NULL,
                traceback TEXT, result TEXT, meta TEXT)
            """, [])
        let p = db.dialect.placeholder
        let started = #"{"pid": 4242, "hostname": "celery@worker-7"}"#
        for id in [1, 2] {
            try db.execute(
                "INSERT INTO results (id, status, started_at, result, meta) VALUES (\(p(1)), 'STARTED', \(p(2)), \(p(3)), NULL)",
                [.integer(Int64(id)), .timestamp(fixture.ago(minutes: id == 1 ? 120 : 1)), .text(started)])
        }
        let config = try TaskWardenConfiguration.parse(Self.mapping)
        let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
        let reason = #"worker "w7" lost \ OOM"#
        let recovered = try runs.recover(RecoverOptions(policy: StuckPolicy(defaultThreshold: .seconds(600)), reason: reason))
        #expect(recovered.changed.count(in: "results") == 1)
        let row = try #require(try db.queryFirst("SELECT status, result, meta, traceback FROM results WHERE id = 1"))
        #expect(row["status"] == .text("FAILURE"))
        #expect(row["meta"] == .text("failed by taskwarden"))
        let note = try row.decode(String.self, "traceback")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(try row.decode(String.self, "result").utf8)) as? [String: Any])
        #expect(result["exc_type"] as? String == "WorkerLostError")
        #expect(result["exc_module"] as? String == "billiard.exceptions")
        #expect((result["exc_message"] as? [String]) == [note], "the note, JSON-escaped: \(result)")
        #expect(note.contains(reason))
        // The live run is untouched.
        #expect(try db.queryFirst("SELECT result FROM results WHERE id = 2")?["result"] == .text(started))

        let undone = try runs.undo(batchID: try #require(recovered.batchID))
        #expect(undone.restored.count == 1)
        let back = try #require(try db.queryFirst("SELECT status, result, meta, traceback FROM results WHERE id = 1"))
        #expect(back["status"] == .text("STARTED"))
        #expect(back["result"] == .text(started))
        #expect(back["meta"] == .null)
        #expect(back["traceback"] == .null)

        // reset to cancelled writes the cancelled set (and not failed's meta).
        let reset = try runs.reset(ResetFilter(statuses: [.running], ids: ["2"]), to: .cancelled, reason: "revoked by hand")
        #expect(reset.changed.count == 1)
        let revoked = try #require(try db.queryFirst("SELECT status, result, meta FROM results WHERE id = 2"))
        #expect(revoked["status"] == .text("REVOKED"))
        #expect(try revoked.decode(String.self, "result").contains("TaskRevokedError"))
        #expect(revoked["meta"] == .null)
    }

    @Test("set_on refuses a column with a role, a column set twice, a bad name, and running")
    func refusedMappings() {
        for text in [
            "table: {name: t, columns: {started_at: s, error: tb}, set_on: {failed: {tb: x}}}",
            "table: {name: t, columns: {started_at: s}, set_on: {failed: {status: x}}}",
            "table: {name: t, columns: {started_at: s}, set_on: {running: {result: x}}}",
            "table: {name: t, columns: {started_at: s}, set_on: {failed: {'a b': x}}}",
        ] {
            #expect(throws: ConfigurationError.self, "\(text)") { try TaskWardenConfiguration.parse(text) }
        }
    }
}
