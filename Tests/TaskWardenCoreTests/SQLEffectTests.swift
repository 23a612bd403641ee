import TaskWardenCore
import Testing

/// What a statement does besides answering, read from its words: what ``ScriptingConnection``
/// runs on the real session (plain reads only) and what it only records.
@Suite("SQL statement effects")
struct SQLEffectTests {
    /// Expects each of `statements` to have `effect` on `backend`.
    private func expect(_ statements: [String], are effect: SQLEffect, on backend: DatabaseBackend, sourceLocation: SourceLocation = #_sourceLocation) {
        for sql in statements {
            #expect(SQLEffect(of: sql, on: backend) == effect, "\(backend): \(sql)", sourceLocation: sourceLocation)
        }
    }

    @Test("plain reads, whatever their strings and comments say", arguments: DatabaseBackend.allCases)
    func reads(backend: DatabaseBackend) {
        expect([
            "SELECT COUNT(*) AS n FROM task_runs WHERE status = 'running'",
            "-- Locks nothing: FOR UPDATE is only in this comment\nSELECT id FROM task_runs",
            "SELECT 'FOR UPDATE; DELETE FROM task_runs' AS note /* INSERT INTO x */",
            "WITH recent AS (SELECT id FROM task_runs ORDER BY id DESC LIMIT 5) SELECT COUNT(*) FROM recent",
            "select substring(note from 1 for 20), replace(note, 'a', 'b') from task_runs",
            "VALUES (1), (2)",
        ], are: .read, on: backend)
    }

    @Test("locking reads come off their lock where the clause ends the statement", arguments: DatabaseBackend.allCases)
    func lockingReads(backend: DatabaseBackend) {
        let read = "SELECT COUNT(*) AS n\nFROM task_runs\nWHERE status = ?\nORDER BY id"
        for clause in ["FOR UPDATE", "for update", "FOR UPDATE OF t NOWAIT", "FOR NO KEY UPDATE", "FOR SHARE SKIP LOCKED", "FOR KEY SHARE", "LOCK IN SHARE MODE", "FOR UPDATE WAIT 5"] {
            #expect(SQLEffect(of: "\(read)\n\(clause)", on: backend) == .lockingRead(unlocked: read), "\(backend): \(clause)")
        }
    }

    @Test("a lock that cannot come off whole: inside a subquery, or before a LIMIT", arguments: DatabaseBackend.allCases)
    func stuckLocks(backend: DatabaseBackend) {
        expect(
            ["SELECT n FROM (SELECT id AS n FROM task_runs FOR UPDATE) locked", "SELECT id FROM task_runs FOR UPDATE LIMIT 10"],
            are: .lockingRead(unlocked: nil), on: backend)
    }

    @Test("writes, also those that read: a DELETE in a WITH, INSERT ... SELECT ... FOR UPDATE, SELECT INTO, lock functions", arguments: DatabaseBackend.allCases)
    func writes(backend: DatabaseBackend) {
        expect([
            "UPDATE task_runs SET status = 'failed'",
            "DELETE FROM task_runs",
            "INSERT INTO task_run_events (run_id) SELECT id FROM task_runs ORDER BY id FOR UPDATE",
            "WITH deleted AS (DELETE FROM task_runs WHERE id < 5 RETURNING status) SELECT status, COUNT(*) AS n FROM deleted GROUP BY status",
            "SELECT id INTO @last FROM task_runs ORDER BY id DESC LIMIT 1",
            "SELECT GET_LOCK('taskwarden', 0)",
            "SELECT pg_try_advisory_lock(42)",
            "SELECT nextval('task_runs_id_seq')",
            "SET SESSION innodb_lock_wait_timeout = 1",
            "BEGIN IMMEDIATE",
            "COMMIT",
            "PRAGMA cache_size = -8192",
            "LOCK TABLES task_runs WRITE",
            "",
        ], are: .write, on: backend)
    }

    @Test("MySQL's # comments and backslash escapes hide keywords there only")
    func mysqlLexing() {
        let sql = "SELECT id FROM task_runs # FOR UPDATE\nWHERE note = 'it\\'s FOR UPDATE'"
        #expect(SQLEffect(of: sql, on: .mysql) == .read)
        // PostgreSQL reads the same text as an operator, and a string that ends early.
        #expect(SQLEffect(of: sql, on: .postgresql) != .read)
    }
}
