import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `recover` and `reset` on a table whose mapping lists missing statuses.
@Suite("taskwarden on tables that lack statuses")
struct MissingStatusCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("reset --to a missing status exits 2 and changes nothing; recover without --to picks cancelled where failed is missing", arguments: TestBackend.allCases)
    func defaultsAndRefusals(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        try db.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, note TEXT)", [])
        let now = try DatabaseClock.now(on: db)
        let p = db.dialect.placeholder
        try db.execute("INSERT INTO jobs (id, status, started_at) VALUES (1, 'running', \(p(1))), (2, 'running', \(p(2)))",
            [.timestamp(now.adding(seconds: -7_200)), .timestamp(now.adding(seconds: -30))])
        let directory = try TemporaryDirectory.make()
        try "table:\n  name: jobs\n  columns: {started_at: started_at, error: note}\n  missing_statuses: [failed, queued]\n"
            .write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)

        let reset = try taskwarden.run(["reset", "--status", "running", "--to", "failed", "--reason", "x", "--yes"] + url, workingDirectory: directory)
        #expect(reset.status == 2, "\(reset.allOutput)")
        #expect(reset.standardError.contains("no 'failed' status") && reset.standardError.split(separator: "\n").count == 1, "\(reset.standardError)")
        let requeue = try taskwarden.run(["recover", "--to", "queued"] + url, workingDirectory: directory)
        #expect(requeue.status == 2, "\(requeue.allOutput)")
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM jobs WHERE status = 'running'") == 2)

        let recovered = try taskwarden.run(["recover", "--older-than", "10m", "--json"] + url, workingDirectory: directory)
        #expect(recovered.status == 0, "\(recovered.allOutput)")
        #expect(try db.query("SELECT status FROM jobs ORDER BY id", []).map { try $0.decode(String.self, "status") } == ["cancelled", "running"])
    }
}
