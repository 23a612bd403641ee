import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// River's published PostgreSQL migrations (golang-migrate layout), applied unconverted.
@Suite("River's migrations")
struct RiverFolderTests {
    /// `pg_dump --schema-only` of `url`, without TaskWarden's own tables and without the
    /// lines that differ between any two dumps (comments, `\restrict` keys).
    static func schema(_ url: String) throws -> String {
        let dump = try ExternalCommand.run(
            "pg_dump", [
                "--schema-only", "--no-owner", "--no-privileges", "--exclude-table=taskwarden_schema_migrations",
                "--exclude-table=taskwarden_schema_events", "--exclude-table=taskwarden_schema_*", "--dbname=\(url)",
            ])
        return dump.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("--") && !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") }
            .joined(separator: "\n")
    }

    @Test("River's folder applies unconverted, and its schema is the one psql -f produces from the same files")
    func sameSchemaAsPsql() throws {
        let folder = FormatFixtures.path("river")
        let taskwarden = try MigrationFixture(.postgresql)
        defer { taskwarden.close() }
        let set = try MigrationSet.directory(folder, name: "river", for: taskwarden.connection.dialect)
        #expect(set.format == .golangMigrate)
        let result = try taskwarden.migrator(set).up()
        #expect(result.steps.map(\.version) == [1, 2, 3, 4, 5, 6, 7])
        #expect(try taskwarden.migrator(set).validate().isUpToDate)

        let psql = try IsolatedDatabase.create(.postgresql)
        defer { psql.drop() }
        let upFiles = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".up.sql") }.sorted()
        #expect(upFiles.count == 7)
        _ = try ExternalCommand.run(
            "psql", ["--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--dbname=\(psql.urlString)"] + upFiles.flatMap { ["-f", folder.appending($0)] })

        let ours = try Self.schema(taskwarden.database.urlString)
        let theirs = try Self.schema(psql.urlString)
        #expect(ours.contains("CREATE TABLE public.river_job"))
        #expect(ours == theirs)

        // And back down by River's own .down.sql files, to nothing but TaskWarden's history.
        #expect(try taskwarden.migrator(set).down(to: 0).steps.count == 7)
        #expect(!taskwarden.tableExists("river_migration"))
    }
}

extension Migrator {
    /// `status()` after checking it as `migrate validate` does.
    fileprivate func validate() throws -> MigrationStatusReport {
        let report = try status()
        try Self.checkApplicable(report)
        return report
    }
}
