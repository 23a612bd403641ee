import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Other tools' folders applied by TaskWarden, unconverted, on every backend.
@Suite("Other tools' folders applied")
struct FormatFolderTests {
    static let tools = ["golang-migrate", "goose", "flyway", "dbmate"]

    @Test("each tool's fixture folder applies, is a no-op the second time, and reverts where it has down sections",
          arguments: tools, TestBackend.allCases)
    func applies(tool: String, backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let set = try MigrationSet.directory(FormatFixtures.path(tool), name: "app", for: fixture.connection.dialect)
        let migrator = try fixture.migrator(set)
        let first = try migrator.up()
        #expect(first.steps.map(\.version) == set.migrations.map(\.version))
        #expect(try migrator.up().steps.isEmpty)
        #expect(try migrator.status().isUpToDate)
        guard set.migrations.allSatisfy({ $0.kind == .repeatable || $0.downStatements != nil }) else { return }
        let down = try migrator.down(to: 0)
        #expect(down.steps.map(\.version) == set.migrations.map(\.version).reversed())
        #expect(try migrator.up().steps.count == set.migrations.count)
    }

    @Test("goose: the trigger written between StatementBegin and StatementEnd works", arguments: TestBackend.allCases)
    func gooseTrigger(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let set = try MigrationSet.directory(FormatFixtures.path("goose"), name: "app", for: fixture.connection.dialect)
        #expect(set.migrations.map(\.runsInTransaction) == [true, true, false])
        _ = try fixture.migrator(set).up()
        try fixture.connection.execute("UPDATE accounts SET balance = 5 WHERE id = 1", [])
        let touched = try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM accounts WHERE updated_at IS NOT NULL")
        #expect(touched == 1, "the trigger did not run")
        #expect(try fixture.connection.queryValue(String.self, "SELECT owner FROM accounts WHERE id = 1") == "alice")
    }

    @Test("Flyway: the repeatable runs after the versioned ones, again when it changes, and never on a no-op",
          arguments: TestBackend.allCases)
    func flywayRepeatable(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let directory = try FormatFixtures.copy("flyway", for: backend)
        let read = { try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect) }
        let first = try fixture.migrator(try read()).up()
        #expect(first.steps.map(\.name) == ["Create people table", "Populate people", "Index people name", "People names view"])
        #expect(first.currentVersion == 3)
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM people_names") == 2)
        #expect(try fixture.migrator(try read()).up().steps.isEmpty)

        try "DROP VIEW IF EXISTS people_names;\nCREATE VIEW people_names AS SELECT id, name FROM people;\n"
            .write(toFile: directory.appending("R__People_names_view.sql"), atomically: true, encoding: .utf8)
        let changed = try fixture.migrator(try read())
        #expect(try changed.status().pending.map(\.name) == ["People names view"])
        #expect(try changed.up().steps.map(\.name) == ["People names view"])
        #expect(try fixture.connection.queryValue(Int.self, "SELECT MAX(id) FROM people_names") == 2)
        #expect(try changed.status().isUpToDate)

        // A versioned file edited after it ran is drift, as before.
        try "INSERT INTO people (id, name) VALUES (3, 'Z');\n".write(toFile: directory.appending("V2__Populate_people.sql"), atomically: true, encoding: .utf8)
        let drift = try #require(throws: MigrationError.self) { try fixture.migrator(try read()).up() }
        #expect(drift.kind == .drift)
    }

    @Test("golang-migrate: timestamps and padded versions apply in numeric order; down reverts by the .down.sql files",
          arguments: TestBackend.allCases)
    func golangMigrateOrder(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let set = try MigrationSet.directory(FormatFixtures.path("golang-migrate"), name: "app", for: fixture.connection.dialect)
        let migrator = try fixture.migrator(set)
        #expect(try migrator.up(to: 2).steps.map(\.version) == [1, 2])
        try fixture.connection.execute("INSERT INTO users (id, email) VALUES (1, 'a@example.com')", [])
        #expect(try fixture.connection.queryValue(String.self, "SELECT name FROM users") == "a;b")
        #expect(try migrator.up().steps.map(\.version) == [20_261_201_120_000])
        #expect(try migrator.down(steps: 2).steps.map(\.version) == [20_261_201_120_000, 2])
        #expect(!fixture.tableExists("orders"))
        #expect(fixture.tableExists("users"))
    }
}
