import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// What a `--dir` is read as: which files are migrations, which are ignored and why.
@Suite("Migration directories")
struct MigrationDirectoryTests {
    @Test("an upper-case .SQL extension is a migration, and it is applied", arguments: TestBackend.allCases)
    func upperCaseExtension(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, _) = try fixture.userSet(["0001_widgets.SQL": SampleMigrations.widgets])
        #expect(set.migrations.map(\.name) == ["widgets"])
        #expect(set.ignored.isEmpty)
        #expect(try fixture.migrator(set).up().steps.map(\.version) == [1])
        #expect(fixture.tableExists("widgets"))
    }

    @Test("hidden files and editor backups are named as ignored, never read as migrations", arguments: TestBackend.allCases)
    func backupsAreNamed(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, _) = try fixture.userSet([
            "0001_widgets.sql": SampleMigrations.widgets, ".0002_y.sql.swp": "binary", "0002_y.sql~": SampleMigrations.gadgets,
            "README.md": "notes",
        ])
        #expect(set.migrations.map(\.version) == [1])
        #expect(set.ignored.map(\.name) == [".0002_y.sql.swp", "0002_y.sql~", "README.md"])
        #expect(set.ignored.map(\.reason) == ["hidden file", "editor backup", "not a .sql file"])
    }

    @Test("a directory without a single migration file is an error that names what it ignored", arguments: TestBackend.allCases)
    func noMigrationIsAnError(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let error = try #require(throws: MigrationFileError.self) {
            try fixture.userSet([".0002_y.sql.swp": "x", "0002_y.sql~": SampleMigrations.gadgets])
        }
        #expect(error.reason.contains("no migration files"))
        #expect(error.reason.contains(".0002_y.sql.swp (hidden file)"))
        #expect(error.reason.contains("0002_y.sql~ (editor backup)"))
        let empty = try #require(throws: MigrationFileError.self) { try fixture.userSet([:]) }
        #expect(empty.reason.contains("it is empty"))
    }

    @Test("a set name longer than the history column is refused before any SQL", arguments: TestBackend.allCases)
    func longSetName(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, _) = try fixture.userSet(["0001_widgets.sql": SampleMigrations.widgets], name: String(repeating: "s", count: 101))
        let error = try #require(throws: MigrationError.self) { try fixture.migrator(set).up() }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("101 characters"))
        #expect(!fixture.tableExists("taskwarden_schema_migrations"))
        let (longest, _) = try fixture.userSet(["0001_widgets.sql": SampleMigrations.widgets], name: String(repeating: "é", count: 100))
        #expect(try fixture.migrator(longest).up().steps.map(\.version) == [1])
    }
}
