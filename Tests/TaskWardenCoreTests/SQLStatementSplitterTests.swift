import TaskWardenCore
import Testing

@Suite("SQL statement splitting")
struct SQLStatementSplitterTests {
    private func split(_ script: String, on backend: DatabaseBackend) -> [String] {
        SQLStatementSplitter(backend: backend).split(script)
    }

    // MARK: Every backend

    @Test("statements come back trimmed, empty ones dropped, the last needs no semicolon", arguments: DatabaseBackend.allCases)
    func basics(backend: DatabaseBackend) {
        let script = """

              CREATE TABLE task_runs (id INTEGER PRIMARY KEY, status TEXT NOT NULL) ;;
            INSERT INTO task_runs (status) VALUES ('queued'), ('naïve ✓');
            ;
            SELECT count(*) FROM task_runs\t

            """
        #expect(split(script, on: backend) == [
            "CREATE TABLE task_runs (id INTEGER PRIMARY KEY, status TEXT NOT NULL)",
            "INSERT INTO task_runs (status) VALUES ('queued'), ('naïve ✓')",
            "SELECT count(*) FROM task_runs",
        ])
    }

    @Test("semicolons inside strings, quoted identifiers and comments do not split", arguments: DatabaseBackend.allCases)
    func quotedSemicolons(backend: DatabaseBackend) {
        let script = """
            INSERT INTO "audit;log" (note) VALUES ('retry; then give up'), ('it''s; fine');
            /* purge; nightly */ DELETE FROM task_runs WHERE status = 'done'; -- keep failed; for triage
            SELECT 1
            """
        #expect(split(script, on: backend) == [
            #"INSERT INTO "audit;log" (note) VALUES ('retry; then give up'), ('it''s; fine')"#,
            "/* purge; nightly */ DELETE FROM task_runs WHERE status = 'done'",
            "-- keep failed; for triage\nSELECT 1",
        ])
    }

    @Test("comment-only chunks produce no statement; leading comments stay attached", arguments: DatabaseBackend.allCases)
    func commentOnlyChunks(backend: DatabaseBackend) {
        let script = """
            -- Migration 0003: retention
            /* nothing to run here; the next statement does the work */;
            -- older than the retention window
            DELETE FROM task_runs WHERE finished_at < '2026-01-01';
            -- trailing note; nothing follows
            """
        #expect(split(script, on: backend) == [
            "-- older than the retention window\nDELETE FROM task_runs WHERE finished_at < '2026-01-01'",
        ])
    }

    @Test("CRLF line endings", arguments: DatabaseBackend.allCases)
    func crlf(backend: DatabaseBackend) {
        let script = "SELECT 1;\r\n-- note; ends at the line break\r\nSELECT 'a;b'\r\n;\r\n"
        #expect(split(script, on: backend) == ["SELECT 1", "-- note; ends at the line break\r\nSELECT 'a;b'"])
    }

    @Test("BEGIN on its own is a transaction, not a body", arguments: DatabaseBackend.allCases)
    func transactionBegin(backend: DatabaseBackend) {
        let script = "BEGIN;\nUPDATE task_runs SET status = 'cancelled' WHERE status = 'running';\nCOMMIT;"
        #expect(split(script, on: backend) == [
            "BEGIN", "UPDATE task_runs SET status = 'cancelled' WHERE status = 'running'", "COMMIT",
        ])
    }

    @Test("anything unterminated becomes the last statement", arguments: [
        (DatabaseBackend.postgresql, "SELECT 1; SELECT 'oops; SELECT 2;", ["SELECT 1", "SELECT 'oops; SELECT 2;"]),
        (.postgresql, "SELECT 1; SELECT $$never closed; SELECT 2", ["SELECT 1", "SELECT $$never closed; SELECT 2"]),
        (.postgresql, "SELECT 1; SELECT 2 /* never /* closed */ ;", ["SELECT 1", "SELECT 2 /* never /* closed */ ;"]),
        (.mysql, #"SELECT 1; SELECT 'it\'s; SELECT 2"#, ["SELECT 1", #"SELECT 'it\'s; SELECT 2"#]),
        (.mysql, #"SELECT 'ends in a backslash\"#, [#"SELECT 'ends in a backslash\"#]),
        (.sqlite, #"SELECT 1; SELECT "id; FROM task_runs"#, ["SELECT 1", #"SELECT "id; FROM task_runs"#]),
        (.sqlite, "CREATE TRIGGER t AFTER INSERT ON task_runs BEGIN SELECT 1; SELECT 2;",
         ["CREATE TRIGGER t AFTER INSERT ON task_runs BEGIN SELECT 1; SELECT 2;"]),
    ])
    func unterminated(backend: DatabaseBackend, script: String, expected: [String]) {
        #expect(split(script, on: backend) == expected)
    }

    @Test("comment markers differ between backends", arguments: [
        (DatabaseBackend.mysql, "SELECT 6 # 3; SELECT 2", ["SELECT 6 # 3; SELECT 2"]),
        (.postgresql, "SELECT 6 # 3; SELECT 2", ["SELECT 6 # 3", "SELECT 2"]),
        (.mysql, "SELECT 10--1;\nSELECT 2", ["SELECT 10--1", "SELECT 2"]),
        (.postgresql, "SELECT 10--1;\nSELECT 2", ["SELECT 10--1;\nSELECT 2"]),
        (.mysql, "SELECT 10 --\nSELECT 2", ["SELECT 10 --\nSELECT 2"]),
    ])
    func commentMarkers(backend: DatabaseBackend, script: String, expected: [String]) {
        #expect(split(script, on: backend) == expected)
    }

    @Test("a multi-megabyte script splits in one pass")
    func largeScript() {
        let statement = "INSERT INTO task_events (run_id, note) VALUES (42, 'step done; next: ''cleanup''') -- why; not\n"
        let count = 30_000
        let script = String(repeating: statement + ";\n", count: count)
        #expect(script.utf8.count > 2_500_000)
        for backend in DatabaseBackend.allCases {
            let statements = split(script, on: backend)
            #expect(statements.count == count)
            #expect(statements.last == String(statement.dropLast()))
        }
    }

    // MARK: PostgreSQL

    @Test("PostgreSQL: block comments nest; elsewhere the first */ ends them")
    func nestedBlockComments() {
        let script = """
            /* disabled for now:
               /* old version; kept for reference */
               DELETE FROM task_runs;
            */
            SELECT 1;
            SELECT 2
            """
        #expect(split(script, on: .postgresql) == [
            "/* disabled for now:\n   /* old version; kept for reference */\n   DELETE FROM task_runs;\n*/\nSELECT 1",
            "SELECT 2",
        ])
        #expect(split(script, on: .sqlite) == [
            "/* disabled for now:\n   /* old version; kept for reference */\n   DELETE FROM task_runs",
            "*/\nSELECT 1",
            "SELECT 2",
        ])
    }

    @Test("PostgreSQL: dollar quotes hold semicolons, $1 parameters do not open one")
    func dollarQuotes() {
        let script = """
            PREPARE claim_run (bigint) AS UPDATE task_runs SET note = $$claimed; by worker$$ WHERE id = $1;
            SELECT $tag$ a $$; and $other$; inside $tag$ || $1;
            SELECT format($fmt$%s;%s$fmt$, $1, $2)
            """
        #expect(split(script, on: .postgresql) == [
            "PREPARE claim_run (bigint) AS UPDATE task_runs SET note = $$claimed; by worker$$ WHERE id = $1",
            "SELECT $tag$ a $$; and $other$; inside $tag$ || $1",
            "SELECT format($fmt$%s;%s$fmt$, $1, $2)",
        ])
    }

    @Test("PostgreSQL: a PL/pgSQL function body stays whole")
    func plpgsqlFunction() {
        let function = """
            CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            BEGIN
                NEW.updated_at := now();  -- a semicolon; and $$ inside
                RETURN NEW;
            END;
            $body$
            """
        let script = function + """
            ;
            CREATE TRIGGER task_runs_touch BEFORE UPDATE ON task_runs
                FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
            """
        #expect(split(script, on: .postgresql) == [
            function,
            "CREATE TRIGGER task_runs_touch BEFORE UPDATE ON task_runs\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
        ])
    }

    @Test("backslashes escape only in MySQL strings and PostgreSQL E'...' strings", arguments: [
        (DatabaseBackend.postgresql, #"SELECT 'C:\'; SELECT 2"#, [#"SELECT 'C:\'"#, "SELECT 2"]),
        (.sqlite, #"SELECT 'C:\'; SELECT 2"#, [#"SELECT 'C:\'"#, "SELECT 2"]),
        (.mysql, #"SELECT 'C:\'; SELECT 2"#, [#"SELECT 'C:\'; SELECT 2"#]),
        (.postgresql, #"SELECT E'it\'s; fine', e'\\'; SELECT 2"#, [#"SELECT E'it\'s; fine', e'\\'"#, "SELECT 2"]),
    ])
    func backslashes(backend: DatabaseBackend, script: String, expected: [String]) {
        #expect(split(script, on: backend) == expected)
    }

    // MARK: MySQL

    @Test("MySQL: backslash escapes, doubled backticks, # comments, executable comments")
    func mysqlQuoting() {
        let script = #"""
            # nightly cleanup; keeps failed runs
            INSERT INTO task_notes (body) VALUES ('it\'s done; really'), ("say \"hi\"; bye"), ('C:\\temp\\');
            SELECT `odd``name;col` FROM `task;runs`; # done; gone
            /*!40101 SET NAMES utf8mb4 */;
            /* only a comment; */;
            """#
        #expect(split(script, on: .mysql) == [
            #"# nightly cleanup; keeps failed runs"# + "\n"
                + #"INSERT INTO task_notes (body) VALUES ('it\'s done; really'), ("say \"hi\"; bye"), ('C:\\temp\\')"#,
            "SELECT `odd``name;col` FROM `task;runs`",
            "# done; gone\n/*!40101 SET NAMES utf8mb4 */",
        ])
    }

    @Test("MySQL: trigger and routine bodies stay whole", arguments: [
        // IF ... END IF inside BEGIN ... END, with a definer.
        """
        CREATE DEFINER=`taskwarden`@`%` TRIGGER task_runs_before_update
        BEFORE UPDATE ON task_runs FOR EACH ROW
        BEGIN
            IF NEW.status = 'running' AND OLD.status <> 'running' THEN
                SET NEW.started_at = NOW(6);
            ELSEIF NEW.status IN ('succeeded', 'failed') THEN
                SET NEW.finished_at = NOW(6);
            END IF;
        END
        """,
        // Nested BEGIN, labelled loops, a CASE statement, and END REPEAT.
        """
        CREATE PROCEDURE purge_finished_runs(IN batch_size INT)
        BEGIN
            DECLARE deleted INT DEFAULT 1;
            DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET deleted = 0; END;
            purge: WHILE deleted > 0 DO
                DELETE FROM task_runs WHERE status IN ('succeeded', 'failed') LIMIT batch_size;
                SET deleted = ROW_COUNT();
                CASE WHEN deleted = 0 THEN LEAVE purge; ELSE DO SLEEP(0.1); END CASE;
            END WHILE purge;
            REPEAT SET deleted = deleted - 1; UNTIL deleted <= 0 END REPEAT;
            retry: LOOP LEAVE retry; END LOOP retry;
        END
        """,
        // No BEGIN at all: the CASE expression's END balances its CASE.
        """
        create function run_label(s VARCHAR(16)) RETURNS VARCHAR(16) DETERMINISTIC
            RETURN case s when 'running' then 'busy' else 'idle' end
        """,
        """
        /* runs at night */ CREATE EVENT purge_nightly ON SCHEDULE EVERY 1 DAY
        DO BEGIN DELETE FROM task_runs WHERE finished_at < NOW() - INTERVAL 30 DAY; END
        """,
    ])
    func mysqlRoutines(definition: String) {
        #expect(split(definition + ";\nCALL purge_finished_runs(1000);", on: .mysql) == [
            definition, "CALL purge_finished_runs(1000)",
        ])
    }

    // MARK: SQLite

    @Test("SQLite: trigger bodies stay whole", arguments: [
        // A CASE ... END expression inside BEGIN ... END.
        """
        CREATE TRIGGER IF NOT EXISTS task_runs_finish
        AFTER UPDATE OF status ON task_runs
        WHEN NEW.status IN ('succeeded', 'failed')
        BEGIN
            UPDATE task_runs
               SET finished_at = CASE WHEN NEW.finished_at IS NULL THEN datetime('now') ELSE NEW.finished_at END
             WHERE id = NEW.id;
            INSERT INTO task_events (run_id, kind) VALUES (NEW.id, 'end; of run');
        END
        """,
        // Keywords count only as whole words outside strings, comments and quoted identifiers.
        """
        -- audit trail
        create temp trigger task_runs_audit after delete on task_runs
        begin
            -- END; in a comment
            INSERT INTO "end" (begin_at, backend, [case], note) VALUES (OLD.begin_at, 'legend', 1, 'BEGIN; END;');
            DELETE FROM `case` WHERE run_id = OLD.id;
        end
        """,
    ])
    func sqliteTriggers(definition: String) {
        #expect(split(definition + ";\nINSERT INTO task_runs (status) VALUES ('queued');", on: .sqlite) == [
            definition, "INSERT INTO task_runs (status) VALUES ('queued')",
        ])
    }

    @Test("a byte order mark does not hide a leading CREATE TRIGGER")
    func byteOrderMark() {
        let trigger = "CREATE TRIGGER t AFTER INSERT ON task_runs BEGIN SELECT 1; END"
        #expect(split("\u{FEFF}" + trigger + "; SELECT 2", on: .sqlite) == [trigger, "SELECT 2"])
    }
}
