import Foundation
import TaskWarden

/// A database of its own with TaskWarden's tables, made by `taskwarden migrate` as users make
/// them, and a connection to it: the start of most command tests.
public final class MigratedDatabase {
    public let database: IsolatedDatabase
    /// An open connection, for seeding and checking.
    public let connection: any DatabaseConnection

    /// The URL text, password included, for passing to the CLI.
    public var urlString: String { database.urlString }

    /// - Throws: ``MigrationFailed`` with the command's output when `migrate` does not exit 0.
    public init(_ backend: TestBackend, runner: CommandRunner) throws {
        let database = try IsolatedDatabase.create(backend)
        do {
            let migrated = try runner.run(["migrate", "--database", database.urlString])
            guard migrated.status == 0 else { throw MigrationFailed(output: migrated.allOutput) }
            self.connection = try database.connect()
        } catch {
            database.drop()
            throw error
        }
        self.database = database
    }

    /// Closes the connection and drops the database.
    public func close() {
        connection.close()
        database.drop()
    }
}

/// `taskwarden migrate` failed while setting up a test database.
public struct MigrationFailed: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "taskwarden migrate failed: \(output)" }
}
