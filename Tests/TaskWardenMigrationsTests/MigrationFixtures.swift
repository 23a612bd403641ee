import Foundation
import TaskWarden
import TaskWardenTestSupport

/// Builds migrators on isolated databases, and user migration directories on disk.
struct MigrationFixture {
    let database: IsolatedDatabase
    let connection: any DatabaseConnection

    init(_ backend: TestBackend) throws {
        database = try IsolatedDatabase.create(backend)
        connection = try database.connect()
    }

    func migrator(_ set: MigrationSet? = nil, options: MigratorOptions = MigratorOptions()) throws -> Migrator {
        let url = try database.url
        return Migrator(
            connection: connection, set: try set ?? MigrationSet.builtIn(for: connection.dialect), options: options,
            openLockConnection: { try DatabaseDrivers.connect(url) })
    }

    /// A user set read from a new directory holding `files` (file name to text).
    func userSet(_ files: [String: String], name: String = "app") throws -> (set: MigrationSet, directory: String) {
        let directory = try TemporaryDirectory.make()
        for (fileName, text) in files {
            try text.write(toFile: directory.appending(fileName), atomically: true, encoding: .utf8)
        }
        return (try MigrationSet.directory(directory, name: name, for: connection.dialect), directory)
    }

    /// The built-in set's versions, oldest first: what `up` applies to a fresh database.
    func builtInVersions() throws -> [Int64] {
        try MigrationSet.builtIn(for: connection.dialect).migrations.map(\.version)
    }

    func tableExists(_ name: String) -> Bool {
        (try? connection.query("SELECT COUNT(*) AS n FROM \(name)", [])) != nil
    }

    func close() {
        connection.close()
        database.drop()
    }
}

enum SampleMigrations {
    static let widgets = """
        -- taskwarden:up
        CREATE TABLE widgets (id INTEGER PRIMARY KEY, name VARCHAR(50));
        -- taskwarden:down
        DROP TABLE widgets;
        """

    static let gadgets = """
        -- taskwarden:up
        CREATE TABLE gadgets (id INTEGER PRIMARY KEY);
        INSERT INTO gadgets (id) VALUES (1);
        -- taskwarden:down
        DROP TABLE gadgets;
        """

    /// Creates a table, then fails on a missing table.
    static let failing = """
        -- taskwarden:up
        CREATE TABLE half_done (x INTEGER);
        INSERT INTO no_such_table VALUES (1);
        -- taskwarden:down
        DROP TABLE half_done;
        """
}
