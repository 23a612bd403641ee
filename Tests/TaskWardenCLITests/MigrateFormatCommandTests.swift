import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden migrate --dir` on other tools' folders, and `migrate adopt`, run as processes.
@Suite("taskwarden migrate on other tools' folders")
struct MigrateFormatCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MigrationFormatFixtures").appendingPathComponent(name).path
    }

    @Test("issue 16's command: validate on River's folder passes, and up applies it unconverted")
    func riverValidates() throws {
        let database = try IsolatedDatabase.create(.postgresql)
        defer { database.drop() }
        let arguments = ["--dir", Self.fixture("river"), "--set", "river", "--database", database.urlString]
        let validate = try taskwarden.run(["migrate", "validate"] + arguments)
        #expect(validate.status == 0, "\(validate.allOutput)")
        #expect(validate.standardError.contains("ignored NOTICE.md"))
        let up = try taskwarden.run(["migrate"] + arguments)
        #expect(up.status == 0, "\(up.allOutput)")
        #expect(up.standardOutput.contains("applied 7 notification_outbox_sqlite_jsonb_and_sql_cleanup"))
    }

    @Test("a mixed folder and a forced format that does not fit are one line naming the file, exit 5")
    func formatErrors() throws {
        let database = try IsolatedDatabase.create(.sqlite)
        defer { database.drop() }
        let directory = try TemporaryDirectory.make()
        try "CREATE TABLE a (x INT);".write(toFile: directory.appending("0001_a.up.sql"), atomically: true, encoding: .utf8)
        try "-- +goose Up\nCREATE TABLE b (x INT);\n".write(toFile: directory.appending("0002_b.sql"), atomically: true, encoding: .utf8)
        let mixed = try taskwarden.run(["migrate", "status", "--dir", directory, "--database", database.urlString])
        #expect(mixed.status == 5)
        #expect(mixed.standardError.split(separator: "\n").count == 1, "\(mixed.standardError)")
        #expect(mixed.standardError.contains("mixed migration formats: 0001_a.up.sql is golang-migrate, 0002_b.sql is goose"))
        let forced = try taskwarden.run(["migrate", "status", "--dir", Self.fixture("golang-migrate"), "--format", "goose", "--database", database.urlString])
        #expect(forced.status == 5)
        #expect(forced.standardError.contains("000002_add_users_name.down.sql: not a goose file: expected goose"), "\(forced.standardError)")
    }

    @Test("adopt --from goose: the dry run records nothing, adopt records what goose applied, migrate applies the rest")
    func adoptGoose() throws {
        let database = try IsolatedDatabase.create(.sqlite)
        defer { database.drop() }
        let folder = Self.fixture("goose")
        let db = try database.connect()
        defer { db.close() }
        // What goose leaves behind after applying versions 1 and 2: its table, created as
        // goose's internal/dialect/dialectquery/sqlite3.go does, and the tables themselves.
        try db.execute(
            "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))", [])
        try db.execute("INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1)", [])
        let set = try MigrationSet.directory(folder, name: "app", for: db.dialect)
        for migration in set.migrations.prefix(2) {
            for statement in migration.upStatements { try db.execute(statement, []) }
        }
        let arguments = ["--dir", folder, "--database", database.urlString]
        let dryRun = try taskwarden.run(["migrate", "adopt", "--from", "goose", "--dry-run"] + arguments)
        #expect(dryRun.status == 0, "\(dryRun.allOutput)")
        #expect(dryRun.standardOutput.contains("would adopt 1 create_accounts"))
        #expect(dryRun.standardOutput.contains("pending 3 index_accounts_owner"))
        #expect(try taskwarden.run(["migrate", "status", "--exit-code"] + arguments).status == 8)

        let adopt = try taskwarden.run(["migrate", "adopt", "--from", "goose", "--json"] + arguments)
        #expect(adopt.status == 0, "\(adopt.allOutput)")
        let json = try JSONSerialization.jsonObject(with: Data(adopt.standardOutput.utf8)) as? [String: Any]
        #expect((json?["adopted"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [1, 2])
        let up = try taskwarden.run(["migrate"] + arguments)
        #expect(up.status == 0, "\(up.allOutput)")
        #expect(up.standardOutput.hasPrefix("applied 3 index_accounts_owner"), "\(up.standardOutput)")
        #expect(!up.standardOutput.contains("applied 1"))
        let again = try taskwarden.run(["migrate", "adopt", "--from", "goose"] + arguments)
        #expect(again.status == 2)
        #expect(again.standardError.contains("already has history"))
    }

    @Test("adopt refuses golang-migrate's dirty flag with exit 6")
    func adoptDirty() throws {
        let database = try IsolatedDatabase.create(.sqlite)
        defer { database.drop() }
        let db = try database.connect()
        defer { db.close() }
        // golang-migrate's database/sqlite3 ensureVersionTable, and the row a failed migration leaves.
        try db.execute("CREATE TABLE schema_migrations (version uint64,dirty bool)", [])
        try db.execute("INSERT INTO schema_migrations (version, dirty) VALUES (2, 1)", [])
        let outcome = try taskwarden.run(
            ["migrate", "adopt", "--from", "golang-migrate", "--dir", Self.fixture("golang-migrate"), "--database", database.urlString])
        #expect(outcome.status == 6)
        #expect(outcome.standardError.contains("version 2 is dirty"))
        #expect(outcome.standardError.contains("migrate force"))
    }
}
