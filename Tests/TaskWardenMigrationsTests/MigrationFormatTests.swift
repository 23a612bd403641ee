import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

@testable import TaskWardenMigrations

/// Reading other tools' folders: detection, each format's rules, and the errors that name
/// the file and the formats.
@Suite("Migration formats")
struct MigrationFormatTests {
    /// SQLite's dialect, for reading folders without a server.
    static func dialect() throws -> SQLDialect {
        let db = try DatabaseDrivers.connect("sqlite::memory:")
        defer { db.close() }
        return db.dialect
    }

    static func read(_ directory: String, format: MigrationFormat? = nil) throws -> MigrationSet {
        try MigrationSet.directory(directory, name: "app", for: try dialect(), format: format)
    }

    @Test("each fixture folder is detected as its tool's format, in that tool's order", arguments: [
        ("golang-migrate", MigrationFormat.golangMigrate, [Int64(1), 2, 20_261_201_120_000]),
        ("goose", .goose, [1, 2, 3]),
        ("flyway", .flyway, [1, 2, 3]),
        ("dbmate", .dbmate, [20_260_101_000_001, 20_260_101_000_002, 20_260_101_000_003]),
        ("river", .golangMigrate, [1, 2, 3, 4, 5, 6, 7]),
    ])
    func detected(folder: String, format: MigrationFormat, versions: [Int64]) throws {
        let set = try Self.read(FormatFixtures.path(folder))
        #expect(set.format == format)
        #expect(set.migrations.filter { $0.kind == .versioned }.map(\.version) == versions)
        #expect(try Self.read(FormatFixtures.path(folder), format: format).migrations == set.migrations)
    }

    @Test("golang-migrate: pairs by version, names from the up file, an empty file is a migration that does nothing")
    func golangMigratePairs() throws {
        let river = try Self.read(FormatFixtures.path("river"))
        #expect(river.migrations[0].name == "create_river_migration")
        #expect(river.migrations[0].downStatements == ["DROP TABLE river_migration"])
        #expect(river.ignored.map(\.description) == ["NOTICE.md (not a .sql file)"])
        let set = try Self.read(FormatFixtures.path("golang-migrate"))
        let orders = try #require(set.migration(version: 20_261_201_120_000))
        #expect(orders.upStatements.count == 2)
        #expect(orders.upStatements[0].contains("'-- not a comment'"))
        #expect(orders.runsInTransaction)
        #expect(orders.checksum == Migration.checksum(of: try String(contentsOfFile: orders.path, encoding: .utf8)))
        let up = try String(contentsOfFile: FormatFixtures.path("golang-migrate").appending("1_create_users.up.sql"), encoding: .utf8)
        let empty = try Self.read(try FormatFixtures.folder(["1_a.up.sql": up, "1_a.down.sql": "", "2_noop.up.sql": "-- nothing yet\n"]))
        #expect(empty.migrations.map(\.upStatements.count) == [1, 0])
        #expect(empty.migrations.map(\.downStatements) == [[], nil])
        let orphan = try FormatFixtures.folder(["1_a.up.sql": up, "2_b.down.sql": "DROP TABLE b;"])
        let error = try #require(throws: MigrationFileError.self) { try Self.read(orphan) }
        #expect(error.path.hasSuffix("2_b.down.sql"))
        #expect(error.reason.contains("without an up file"))
    }

    @Test("goose: statements end at a line ending in ';', blocks keep their ';', NO TRANSACTION, the header is skipped")
    func gooseRules() throws {
        let trigger = try GooseScript(
            text: try String(contentsOfFile: FormatFixtures.path("goose/postgresql/00002_touch_trigger.sql"), encoding: .utf8),
            path: "x", backend: .postgresql)
        #expect(trigger.up.count == 2)
        #expect(trigger.up[0].hasPrefix("CREATE FUNCTION touch_updated_at()"))
        #expect(trigger.up[0].contains("NEW.updated_at := now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql"))
        #expect(trigger.down == ["DROP TRIGGER accounts_touch ON accounts", "DROP FUNCTION touch_updated_at()"])
        #expect(trigger.runsInTransaction)
        let mysql = try GooseScript(
            text: try String(contentsOfFile: FormatFixtures.path("goose/mysql/00002_touch_trigger.sql"), encoding: .utf8),
            path: "x", backend: .mysql)
        #expect(mysql.up.count == 1)
        #expect(mysql.up[0].hasSuffix("END IF;\nEND"))
        let index = try GooseScript(
            text: try String(contentsOfFile: FormatFixtures.path("goose/postgresql/00003_index_accounts_owner.sql"), encoding: .utf8),
            path: "x", backend: .postgresql)
        #expect(!index.runsInTransaction)
        // A statement that spans lines ends only where a line ends in ';' (comments aside);
        // goose cuts there even inside a string, which is what StatementBegin/End is for.
        let spanning = try GooseScript(
            text: "header; not SQL\n-- +goose Up\nSELECT 1,\n  2; -- two\nSELECT 'x;\ny';\n-- +goose down\n", path: "x", backend: .sqlite)
        #expect(spanning.up == ["SELECT 1,\n  2", "SELECT 'x;", "y';"])
        #expect(spanning.down == [])
    }

    @Test("goose: what goose refuses is refused, naming the file", arguments: [
        "SELECT 1;",
        "-- +goose Up\nSELECT 1",
        "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;",
        "-- +goose Down\nSELECT 1;\n-- +goose Up\nSELECT 2;",
        "-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${X}';",
        "-- +goose Up\n-- +goose StatementEnd\n",
    ])
    func gooseRefusals(text: String) {
        let error = #expect(throws: MigrationFileError.self) { try GooseScript(text: text, path: "00001_x.sql", backend: .sqlite) }
        #expect(error?.path == "00001_x.sql")
    }

    @Test("dbmate: up first, transaction:false, unknown options refused")
    func dbmateRules() throws {
        let set = try Self.read(FormatFixtures.path("dbmate"))
        #expect(set.migrations.map(\.runsInTransaction) == [true, false, true])
        #expect(set.migrations[2].upStatements.last == "insert into posts (id, title) values (1, 'Hello; world')")
        #expect(set.migrations[2].downStatements == ["drop table comments"])
        for text in ["create table x (i int);\n-- migrate:up\nselect 1;", "-- migrate:up transaction:maybe\nselect 1;", "-- migrate:down\nselect 1;"] {
            #expect(throws: MigrationFileError.self, "\(text)") { try DbmateScript(text: text, path: "x", backend: .sqlite) }
        }
    }

    @Test("Flyway: V in version order with U as down, R after them by description, script configuration, refusals")
    func flywayRules() throws {
        let set = try Self.read(FormatFixtures.path("flyway"))
        #expect(set.migrations.map(\.displayName) == ["1 Create people table", "2 Populate people", "3 Index people name", "R People names view"])
        #expect(set.migrations[1].downStatements == ["DELETE FROM people WHERE id IN (1, 2)"])
        #expect(set.migrations[0].downStatements == nil)
        let repeatable = set.migrations[3]
        #expect(repeatable.kind == .repeatable && repeatable.version < 0)
        #expect(repeatable.version == MigrationSet.repeatableVersion("People names view"))
        #expect(set.latestVersion == 3)

        let configured = try FormatFixtures.folder([
            "V1__a.sql": "CREATE TABLE a (x INT);", "V1__a.sql.conf": "# a comment\nexecuteInTransaction=false\n",
            "V2__b.sql": "VACUUM;", "README.md": "notes",
        ])
        let read = try Self.read(configured)
        #expect(read.migrations.map(\.runsInTransaction) == [false, false])
        #expect(read.ignored.map(\.name) == ["README.md"])
        for (name, text) in [("V1.1__dotted.sql", "SELECT 1;"), ("V1__p.sql", "SELECT '${schema}';"), ("U9__orphan.sql", "SELECT 1;")] {
            let folder = try FormatFixtures.folder(["V1__a.sql": "SELECT 1;", name: text].merging([:]) { $1 })
            let error = #expect(throws: MigrationFileError.self, "\(name)") { try Self.read(folder) }
            #expect(error?.description.contains(name == "V1__p.sql" ? "placeholders" : name) == true, "\(String(describing: error))")
        }
    }

    @Test("a file that matches no format names the file and every format")
    func unmatchedFile() throws {
        let folder = try FormatFixtures.folder(["0001_plain.sql": "CREATE TABLE plain (x INT);\n"])
        let error = try #require(throws: MigrationFileError.self) { try Self.read(folder) }
        #expect(error.kind == .unrecognized)
        #expect(error.path.hasSuffix("0001_plain.sql"))
        for format in MigrationFormat.allCases { #expect(error.reason.contains(format.rawValue)) }
    }

    @Test("a folder mixing formats is an error naming a file of each; --format reads it as one and names the misfit")
    func mixedFolder() throws {
        let folder = try FormatFixtures.folder([
            "0001_a.up.sql": "CREATE TABLE a (x INT);", "0002_b.sql": "-- +goose Up\nCREATE TABLE b (x INT);\n",
        ])
        let error = try #require(throws: MigrationFileError.self) { try Self.read(folder) }
        #expect(error.kind == .mixedFormats)
        #expect(error.reason.contains("0001_a.up.sql is golang-migrate"))
        #expect(error.reason.contains("0002_b.sql is goose"))
        let forced = try #require(throws: MigrationFileError.self) { try Self.read(folder, format: .golangMigrate) }
        #expect(forced.kind == .unrecognized)
        #expect(forced.path.hasSuffix("0002_b.sql"))
    }

    @Test("upper-case extensions are read; hidden files, backups and other files are named as ignored, in every format")
    func ignoredFiles() throws {
        let folder = try FormatFixtures.folder([
            "1_a.UP.SQL": "CREATE TABLE a (x INT);", "1_a.down.sql": "DROP TABLE a;", ".2_b.up.sql.swp": "x", "2_b.up.sql~": "x",
            "2_b.up.sql.orig": "x", "V1__a.sql.conf": "executeInTransaction=false", "notes.txt": "x",
        ])
        let set = try Self.read(folder)
        #expect(set.format == .golangMigrate)
        #expect(set.migrations.map(\.version) == [1])
        #expect(set.ignored.map(\.description) == [
            ".2_b.up.sql.swp (hidden file)", "2_b.up.sql.orig (editor backup)", "2_b.up.sql~ (editor backup)",
            "V1__a.sql.conf (Flyway script configuration, read only in the flyway format)", "notes.txt (not a .sql file)",
        ])
    }

    @Test("statements PostgreSQL refuses in a transaction are recognised", arguments: [
        ("CREATE INDEX CONCURRENTLY i ON t (x)", true), ("create unique index concurrently if not exists i on t (x)", true),
        ("-- note\nDROP INDEX CONCURRENTLY i", true), ("REINDEX TABLE CONCURRENTLY t", true), ("VACUUM ANALYZE t", true),
        ("/* c */ CREATE DATABASE d", true), ("ALTER SYSTEM SET x = 1", true), ("CREATE INDEX i ON t (x)", false),
        ("CREATE TABLE concurrently (x INT)", false), ("SELECT 'VACUUM'", false),
    ])
    func transactionRule(statement: String, refuses: Bool) {
        #expect(TransactionRule.refusesTransaction(statement, backend: .postgresql) == refuses)
    }

    @Test("Flyway's checksum is CRC-32 over the lines without their breaks, as Flyway computes it")
    func flywayChecksum() {
        #expect(FlywayChecksum.of("123456789") == Int32(bitPattern: 0xCBF4_3926))
        #expect(FlywayChecksum.of("12345\n6789\n") == FlywayChecksum.of("123456789"))
        #expect(FlywayChecksum.of("\u{FEFF}12345\r\n6789") == FlywayChecksum.of("123456789"))
        #expect(FlywayChecksum.of("") == 0)
    }
}
