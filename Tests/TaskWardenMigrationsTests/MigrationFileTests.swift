import TaskWarden
import Testing

@Suite("Migration files")
struct MigrationFileTests {
    static let file = """
        -- Adds a table.
        -- taskwarden:up
        CREATE TABLE a (x INTEGER);
        CREATE TABLE b (y TEXT DEFAULT ';');
        -- taskwarden:down
        DROP TABLE b;
        DROP TABLE a;

        """

    @Test("up and down sections split into statements")
    func sections() throws {
        let migration = try Migration(fileName: "0007_add_tables.sql", path: "x", text: Self.file, backend: .postgresql)
        #expect(migration.version == 7)
        #expect(migration.name == "add_tables")
        #expect(migration.upStatements == ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y TEXT DEFAULT ';')"])
        #expect(migration.downStatements == ["DROP TABLE b", "DROP TABLE a"])
        #expect(migration.runsInTransaction)
    }

    @Test("CRLF line endings and a BOM do not change the checksum")
    func checksumNormalisation() {
        let crlf = Self.file.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Migration.checksum(of: crlf) == Migration.checksum(of: Self.file))
        #expect(Migration.checksum(of: "\u{FEFF}" + Self.file) == Migration.checksum(of: Self.file))
        #expect(Migration.checksum(of: Self.file + " ") != Migration.checksum(of: Self.file))
        #expect(Migration.checksum(of: "").count == 64)
    }

    @Test("no-transaction is a directive; a misspelt directive is an error")
    func directives() throws {
        let concurrent = try Migration(
            fileName: "0002_idx.sql", path: "x",
            text: "-- taskwarden:no-transaction\n-- taskwarden:up\nCREATE INDEX CONCURRENTLY i ON t (x);\n", backend: .postgresql)
        #expect(!concurrent.runsInTransaction)
        #expect(concurrent.downStatements == nil)
        #expect(throws: MigrationFileError.self) {
            try Migration(fileName: "0002_idx.sql", path: "x", text: "-- taskwarden:no_transaction\n-- taskwarden:up\nSELECT 1;", backend: .postgresql)
        }
    }

    @Test("bad files are refused with the reason", arguments: [
        ("create.sql", "-- taskwarden:up\nSELECT 1;"),
        ("0000_zero.sql", "-- taskwarden:up\nSELECT 1;"),
        ("0001_x.sql", "SELECT 1;"),
        ("0001_x.sql", "-- taskwarden:up\n-- only a comment\n"),
        ("0001_x.sql", "-- taskwarden:down\nSELECT 1;\n-- taskwarden:up\nSELECT 2;"),
    ])
    func badFiles(fileName: String, text: String) {
        #expect(throws: MigrationFileError.self) {
            try Migration(fileName: fileName, path: fileName, text: text, backend: .sqlite)
        }
    }

    @Test("the built-in set parses for every dialect, with the same versions")
    func builtIn() throws {
        let db = try DatabaseDrivers.connect("sqlite::memory:")
        defer { db.close() }
        let set = try MigrationSet.builtIn(for: db.dialect)
        #expect(set.name == "taskwarden")
        #expect(set.migrations.map(\.version) == [1, 2, 3, 4, 5])
        #expect(set.migrations.allSatisfy { $0.downStatements?.isEmpty == false })
    }
}
