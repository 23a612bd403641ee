import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `migrate adopt`: taking over a database another tool migrated.
@Suite("Adopting another tool's history")
struct AdoptTests {
    static let tools: [MigrationFormat] = [.golangMigrate, .goose, .flyway, .dbmate]

    /// The fixture folder of `tool`, copied, read for `fixture`'s backend.
    static func folder(_ tool: MigrationFormat, _ fixture: MigrationFixture, _ backend: TestBackend) throws -> (MigrationSet, String) {
        let directory = try FormatFixtures.copy(tool.rawValue, for: backend)
        return (try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect), directory)
    }

    @Test("a database migrated by each tool is adopted; migrate then applies only the new files", arguments: tools, TestBackend.allCases)
    func adoptThenMigrate(tool: MigrationFormat, backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, _) = try Self.folder(tool, fixture, backend)
        // The old tool applied the first two versioned migrations (and Flyway its repeatable).
        let old = Array(set.migrations.filter { $0.kind == .versioned }.prefix(2)) + set.migrations.filter { $0.kind == .repeatable }
        try PreviousToolDatabase(connection: fixture.connection, backend: backend).migrate(tool, old)
        let migrator = try fixture.migrator(set)

        let dryRun = try migrator.adoptionPlan(from: tool)
        #expect(dryRun.adopted.map(\.version) == old.map(\.version))
        #expect(dryRun.pending.map(\.version) == [set.migrations.filter { $0.kind == .versioned }[2].version])
        #expect(dryRun.rerun.isEmpty && dryRun.editedSinceApplied.isEmpty)
        #expect(!fixture.tableExists("taskwarden_schema_migrations"), "the dry run wrote something")

        let adopted = try migrator.adopt(from: tool)
        #expect(adopted.adopted.map(\.version) == old.map(\.version))
        let status = try migrator.status()
        #expect(status.entries.filter { $0.status == .applied }.map(\.version).sorted() == old.map(\.version).sorted())
        #expect(status.entries.allSatisfy { $0.record == nil || $0.record?.checksum == $0.migration?.checksum })
        let events = try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM taskwarden_schema_events WHERE action = 'adopt'")
        #expect(events == old.count)

        let up = try migrator.up()
        #expect(up.steps.map(\.version) == dryRun.pending.map(\.version), "migrate ran what \(tool) had applied")
        #expect(try migrator.status().isUpToDate)
        #expect(try migrator.up().steps.isEmpty)
        let again = try #require(throws: MigrationError.self) { try migrator.adopt(from: tool) }
        #expect(again.kind == .invalidRequest)
    }

    @Test("golang-migrate's dirty flag and a failed Flyway migration are refused, and nothing is written", arguments: TestBackend.allCases)
    func dirtyHistory(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let tool = PreviousToolDatabase(connection: fixture.connection, backend: backend)
        let (golang, _) = try Self.folder(.golangMigrate, fixture, backend)
        try tool.migrate(.golangMigrate, [golang.migrations[0]])
        try tool.setGolangMigrateVersion(2, dirty: true)
        let dirty = try #require(throws: MigrationError.self) { try fixture.migrator(golang).adopt(from: .golangMigrate) }
        #expect(dirty.kind == .dirty)
        #expect(dirty.message.contains("version 2 is dirty"))
        #expect(!fixture.tableExists("taskwarden_schema_migrations"))

        let (flyway, _) = try Self.folder(.flyway, fixture, backend)
        try tool.createHistory(.flyway)
        try tool.flywayRow(flyway.migrations[0], success: true)
        try tool.flywayRow(flyway.migrations[1], success: false)
        let failed = try #require(throws: MigrationError.self) { try fixture.migrator(flyway).adoptionPlan(from: .flyway) }
        #expect(failed.kind == .dirty)
        #expect(failed.message.contains("V2__Populate_people.sql as failed"))
    }

    @Test("versions the tool applied but the folder lacks are refused; a goose rollback row un-applies", arguments: TestBackend.allCases)
    func missingVersions(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let tool = PreviousToolDatabase(connection: fixture.connection, backend: backend)
        let (set, _) = try Self.folder(.goose, fixture, backend)
        try tool.migrate(.goose, Array(set.migrations.prefix(2)))
        try tool.gooseRow(99, applied: true)
        let missing = try #require(throws: MigrationError.self) { try fixture.migrator(set).adopt(from: .goose) }
        #expect(missing.kind == .drift)
        #expect(missing.message.contains("version 99"))
        // goose before v3 recorded a rollback as a row with is_applied false.
        try tool.gooseRow(99, applied: false)
        try tool.gooseRow(2, applied: false)
        for statement in set.migrations[1].downStatements ?? [] { try fixture.connection.execute(statement, []) }
        #expect(try fixture.migrator(set).adopt(from: .goose).adopted.map(\.version) == [1])
        #expect(try fixture.migrator(set).up().steps.map(\.version) == [2, 3])
    }

    @Test("Flyway: a repeatable changed since Flyway ran it stays pending and runs after the new versions", arguments: TestBackend.allCases)
    func flywayChangedRepeatable(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let tool = PreviousToolDatabase(connection: fixture.connection, backend: backend)
        let (set, _) = try Self.folder(.flyway, fixture, backend)
        let repeatable = try #require(set.migrations.last)
        try tool.migrate(.flyway, Array(set.migrations.prefix(2)))
        for statement in repeatable.upStatements { try fixture.connection.execute(statement, []) }
        try tool.flywayRow(repeatable, success: true, checksum: 12345)
        let plan = try fixture.migrator(set).adopt(from: .flyway)
        #expect(plan.adopted.map(\.version) == [1, 2])
        #expect(plan.rerun.map(\.name) == ["People names view"])
        #expect(try fixture.migrator(set).up().steps.map(\.name) == ["Index people name", "People names view"])
    }

    @Test("adopt refuses a folder of another format, a tool without its table, and a set TaskWarden already migrated", arguments: [TestBackend.sqlite])
    func refusals(backend: TestBackend) throws {
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let (set, _) = try Self.folder(.dbmate, fixture, backend)
        let format = try #require(throws: MigrationError.self) { try fixture.migrator(set).adoptionPlan(from: .goose) }
        #expect(format.message.contains("dbmate format, not goose"))
        let table = try #require(throws: MigrationError.self) { try fixture.migrator(set).adoptionPlan(from: .dbmate) }
        #expect(table.message.contains("no schema_migrations table"))
        _ = try fixture.migrator(set).up(to: set.migrations[0].version)
        let migrated = try #require(throws: MigrationError.self) { try fixture.migrator(set).adoptionPlan(from: .dbmate) }
        #expect(migrated.message.contains("already has history"))
    }
}
