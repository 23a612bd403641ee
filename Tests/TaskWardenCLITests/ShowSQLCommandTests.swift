import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `--show-sql`: the printed script, run by the database's own client on a copy of the
/// database, leaves the copy as the tool leaves the original.
@Suite("--show-sql")
struct ShowSQLCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// Two databases with the same rows: the tool changes `original`, the script `copy`.
    struct Twins {
        let original: IsolatedDatabase
        let copy: IsolatedDatabase
        let directory: String
        let tables: [String]

        func drop() {
            original.drop()
            copy.drop()
        }
    }

    @Test("recover, reset, undo, cancel, delete (and its undo) and purge --archive-table on TaskWarden's table: the script run with psql/mariadb/sqlite3 changes the copy exactly as the tool changes the original", arguments: TestBackend.allCases)
    func ownTable(backend: TestBackend) throws {
        let twins = try makeTwins(backend, tables: ["task_runs", "task_run_events"]) { db in
            let p = db.dialect.placeholder
            let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
            let now = DatabaseValue.timestamp(try DatabaseClock.now(on: db))
            func insert(_ id: Int, _ kind: String, _ status: String, started: DatabaseValue, finished: DatabaseValue = .null) throws {
                try db.execute(
                    "INSERT INTO task_runs (id, kind, status, started_at, heartbeat_at, finished_at, worker) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)), \(p(7)))",
                    [.integer(Int64(id)), .text(kind), .text(status), started, started, finished, .text("worker-\(id)")])
            }
            for id in 1...9 { try insert(id, id <= 5 ? "email" : "report", "running", started: old) }
            for id in 10...13 { try insert(id, "email", "queued", started: .null) }
            for id in 14...20 { try insert(id, "email", "succeeded", started: old, finished: old) }
            for id in 21...22 { try insert(id, "report", "running", started: now) }
        }
        defer { twins.drop() }
        try step(twins, ["recover", "--older-than", "10m", "--reason", "host gone: it's \\back 'now'", "--batch-size", "3"])
        try step(twins, ["reset", "--status", "queued", "--to", "cancelled", "--kind", "email", "--reason", "bad deploy", "--batch-size", "2"], yes: true)
        try step(twins, ["undo", "{batch}", "--batch-size", "2"])
        try step(twins, ["cancel", "--kind", "report", "--reason", "stop the reports"])
        try step(
            twins, ["delete", "--id", "14", "--id", "15", "--id", "1", "--archive-table", "deleted_runs", "--reason", "cleanup"], yes: true,
            extraTables: ["deleted_runs"])
        try step(twins, ["undo", "{batch}"], extraTables: ["deleted_runs"], emptied: ["deleted_runs"])
        try step(twins, ["purge", "--succeeded-older-than", "1d", "--archive-table", "old_runs", "--batch-size", "2"], extraTables: ["old_runs"])
    }

    @Test("recover (parents following), undo and purge on a mapped table with text ids, a parent and local times: the script does what the tool does", arguments: TestBackend.allCases)
    func mappedTable(backend: TestBackend) throws {
        let configuration = """
            table:
              name: scan_runs
              time_zone: Europe/Paris
              statuses: {succeeded: [done]}
              parent: {name: scan_tasks, key: task_id}
            stuck: {older_than: 30m}
            """
        let twins = try makeTwins(backend, tables: ["scan_runs", "scan_tasks", "task_run_events"], configuration: configuration) { db in
            try db.execute("CREATE TABLE scan_tasks (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
            // Wall-clock times: MySQL's TIMESTAMP is an instant, its DATETIME is not.
            let time = db.backend == .mysql ? "DATETIME(6)" : "TIMESTAMP"
            try db.execute("""
                CREATE TABLE scan_runs (id VARCHAR(40) PRIMARY KEY, task_id VARCHAR(40), status VARCHAR(20) NOT NULL, started_at \(time) NULL,
                    heartbeat_at \(time) NULL, finished_at \(time) NULL, error TEXT)
                """, [])
            for task in 1...3 { try db.execute("INSERT INTO scan_tasks (id, status) VALUES ('t-\(task)', 'running')", []) }
            let p = db.dialect.placeholder
            for run in 1...8 {
                let finished = run > 5
                try db.execute(
                    "INSERT INTO scan_runs (id, task_id, status, started_at, heartbeat_at, finished_at) VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)))",
                    [.text("r-\(run)"), .text("t-\(run % 3 + 1)"), .text(finished ? "done" : "running"),
                     .text("2020-01-0\(run) 10:00:00"), .text("2020-01-0\(run) 10:00:00"), finished ? .text("2020-01-0\(run) 11:00:00") : .null])
            }
        }
        defer { twins.drop() }
        try step(twins, ["recover", "--reason", "host gone", "--batch-size", "2"])
        try step(twins, ["undo", "{batch}"])
        try step(twins, ["purge", "--succeeded-older-than", "1d", "--archive-table", "old_scans", "--batch-size", "2"], extraTables: ["old_scans"])
    }

    @Test("--show-sql refuses --dry-run and, on purge, --export (exit 2); a script changes nothing by being printed", arguments: [TestBackend.sqlite])
    func refusals(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let withDryRun = try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", "x", "--show-sql", "--dry-run"] + url)
        #expect(withDryRun.status == 2 && withDryRun.standardError.contains("--show-sql or --dry-run"), "\(withDryRun.allOutput)")
        let withExport = try taskwarden.run(["purge", "--show-sql", "--export", "/tmp/x.jsonl"] + url)
        #expect(withExport.status == 2 && withExport.standardError.contains("--export writes a file"), "\(withExport.allOutput)")
        let db = try database.connect()
        defer { db.close() }
        try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('a', 'running', '2020-01-01 00:00:00')", [])
        let shown = try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", "x", "--show-sql", "--json"] + url)
        #expect(shown.status == 0, "\(shown.allOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.standardOutput.utf8)) as? [String: Any])
        #expect((json["script"] as? String)?.contains("UPDATE \"task_runs\"") == true && json["statements"] as? Int == 4)
        // The header a preview's script has too (one function), naming the database here.
        #expect((json["script"] as? String)?.hasPrefix("-- The statements 'taskwarden reset' would run on table task_runs of sqlite:") == true)
        #expect((json["script"] as? String)?.contains("Run it with: sqlite3 DATABASE_FILE < FILE") == true)
        #expect(try db.queryValue(String.self, "SELECT status FROM task_runs") == "running")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events") == 0)
    }

    // MARK: - Fixture

    private func makeTwins(
        _ backend: TestBackend, tables: [String], configuration: String? = nil, seed: (any DatabaseConnection) throws -> Void
    ) throws -> Twins {
        let original = try IsolatedDatabase.create(backend)
        let copy = try IsolatedDatabase.create(backend)
        for database in [original, copy] {
            let migrated = try taskwarden.run(["migrate", "--database", database.urlString])
            #expect(migrated.status == 0, "\(migrated.allOutput)")
            let db = try database.connect()
            defer { db.close() }
            try seed(db)
        }
        let directory = try TemporaryDirectory.make()
        if let configuration { try configuration.write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8) }
        return Twins(original: original, copy: copy, directory: directory, tables: tables)
    }

    /// Runs `arguments` with the tool on the original, prints its script on the copy and runs it
    /// with the client, then compares the two databases. `{batch}` stands for the newest
    /// journal batch of each.
    /// `emptied`: tables the step leaves empty (an undo of a delete moves the archived rows back).
    private func step(_ twins: Twins, _ arguments: [String], yes: Bool = false, extraTables: [String] = [], emptied: Set<String> = []) throws {
        let backend = twins.original.backend
        func resolved(_ database: IsolatedDatabase) throws -> [String] {
            let db = try database.connect()
            defer { db.close() }
            let batch = try db.queryValue(String?.self, "SELECT batch_id FROM task_run_events ORDER BY id DESC LIMIT 1") ?? "none"
            return arguments.map { $0 == "{batch}" ? batch : $0 } + ["--database", database.urlString, "--actor", "oncall"]
        }
        let byTool = try taskwarden.run(try resolved(twins.original) + (yes ? ["--yes"] : []), workingDirectory: twins.directory)
        #expect(byTool.status == 0, "\(backend) \(arguments[0]): \(byTool.allOutput)")
        let shown = try taskwarden.run(try resolved(twins.copy) + ["--show-sql"], workingDirectory: twins.directory)
        #expect(shown.status == 0, "\(backend) \(arguments[0]) --show-sql: \(shown.allOutput)")
        let ran = try DatabaseClient(backend, urlString: twins.copy.urlString).run(script: shown.standardOutput)
        #expect(ran.status == 0, "\(backend) \(arguments[0]) script: \(ran.output)\n\(shown.standardOutput)")
        for table in twins.tables + extraTables {
            let (original, copy) = (try dump(table, in: twins.original), try dump(table, in: twins.copy))
            #expect(original.isEmpty == emptied.contains(table) || table == "task_run_events", "\(backend) \(arguments[0]): \(table)")
            #expect(original == copy, "\(backend) \(arguments[0]) left \(table) different:\ntool:\n\(original.joined(separator: "\n"))\nscript:\n\(copy.joined(separator: "\n"))")
        }
    }

    /// The table's rows, without what differs by construction between the tool's run and the
    /// script's: the journal's own ids, batch ids and entry times, and times of now (the fixture's
    /// are all in 2020).
    private func dump(_ table: String, in database: IsolatedDatabase) throws -> [String] {
        let db = try database.connect()
        defer { db.close() }
        let quote = db.dialect.identifierQuote
        let columns =
            table == "task_run_events"
            ? "target_table, run_id, operation, old_status, new_status, reason, old_values, actor" : "*"
        let order = table == "task_run_events" ? "id" : "\(quote)id\(quote)"
        return try db.query("SELECT \(columns) FROM \(quote)\(table)\(quote) ORDER BY \(order)", []).map { row in
            row.values.map { Self.masked($0.description) }.joined(separator: " | ")
        }
    }

    static func masked(_ text: String) -> String {
        text.replacing(#/20(2[1-9]|[3-9]\d)-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?/#, with: "<now>")
            .replacing(#/\d{8}-\d{6}-[0-9a-f]{8}/#, with: "<batch>")
    }
}
