import ArgumentParser
import Foundation
import Logging
import TaskWarden

/// The options every `migrate` subcommand shares: which set, and how to lock and wait.
struct MigrationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Your migrations directory (default: TaskWarden's built-in set).", valueName: "path"))
    var dir: String?

    @Option(help: ArgumentHelp("The name your --dir set is tracked under in the history.", valueName: "name"))
    var set = "app"

    @Option(help: ArgumentHelp("Read --dir as this format: taskwarden, golang-migrate, goose, flyway, dbmate (default: detected from the files).", valueName: "format"))
    var format: MigrationFormat?

    @Option(help: ArgumentHelp("How to lock out concurrent migrators: session (advisory lock / GET_LOCK), lease (a row; for pgbouncer transaction pooling and Galera), or auto: lease when a pooler or proxy relays the connection, else session. On a Galera node session and auto take a lease (GET_LOCK holds on one node only).", valueName: "mode"))
    var lockMode: DatabaseLockMode = .auto

    @Option(help: ArgumentHelp("How long to wait for another process's migration lock.", valueName: "duration"))
    var lockTimeout: Duration = .seconds(300)

    @Option(help: ArgumentHelp("How long one statement waits for a table lock (PostgreSQL lock_timeout, MySQL lock_wait_timeout).", valueName: "duration"))
    var ddlLockTimeout: Duration = .seconds(10)

    @Option(help: ArgumentHelp("How long one statement may run (PostgreSQL statement_timeout; default: no limit).", valueName: "duration"))
    var statementTimeout: Duration?

    @Option(help: ArgumentHelp("Keep retrying to connect for this long (deploys that start before the database).", valueName: "duration"))
    var waitForDatabase: Duration?

    func validate() throws {
        if dir != nil && set == MigrationSet.builtInName {
            throw ValidationError("--set '\(set)' is TaskWarden's own set name; choose another for your --dir")
        }
        if format != nil && dir == nil {
            throw ValidationError("--format reads a --dir; TaskWarden's own set is built in")
        }
    }

    /// Opens the database, builds a migrator for the chosen set, runs `body`, and closes.
    ///
    /// - Parameter releasingLockOnSignal: whether SIGINT/SIGTERM should release the migration
    ///   lock before exiting; for the commands that take it.
    func withMigrator<T>(
        _ globals: GlobalOptions, releasingLockOnSignal: Bool = false, _ body: (DatabaseSession, Migrator) throws -> T
    ) throws -> T {
        let logger = globals.makeLogger()
        let signals = releasingLockOnSignal ? SignalTrap() : nil
        // The schema's own commands may create a SQLite file; `migrate status` on a new file
        // reports everything pending, as it would on an empty server database.
        let session = try DatabaseSession.open(globals, logger: logger, waitFor: waitForDatabase, creatingDatabase: true)
        defer { session.database.close() }
        return try session.withConnection { connection in
            let migrator = try makeMigrator(globals, session: session, connection: connection, logger: logger, signals: signals)
            return try body(session, migrator)
        }
    }

    private func makeMigrator(
        _ globals: GlobalOptions, session: DatabaseSession, connection: any DatabaseConnection, logger: Logger, signals: SignalTrap?
    ) throws -> Migrator {
        let migrationSet: MigrationSet
        if let dir {
            migrationSet = try MigrationSet.directory(dir, name: set, for: connection.dialect, format: format)
            // Named, never skipped in silence: a migration saved as a backup or hidden file
            // would otherwise look like "nothing to do".
            for file in migrationSet.ignored {
                FileHandle.standardError.write(Data("taskwarden: warning: ignored \(file.name) in \(dir): \(file.reason)\n".utf8))
            }
        } else {
            migrationSet = try MigrationSet.builtIn(for: connection.dialect)
        }
        var options = MigratorOptions()
        options.lockMode = lockMode
        options.lockTimeout = lockTimeout
        options.ddlLockTimeout = ddlLockTimeout
        options.statementTimeout = statementTimeout
        let migrator = Migrator(
            connection: connection, set: migrationSet, options: options, logger: logger,
            openLockConnection: { try session.openAnother() })
        migrator.onLockWait = { message in
            if !globals.json { FileHandle.standardError.write(Data("taskwarden: \(message)\n".utf8)) }
        }
        migrator.onLockAcquired = { [unowned migrator] lock in signals?.hold(lock, cancellingStatementOf: migrator.sessionID) }
        return migrator
    }
}

extension DatabaseLockMode: ExpressibleByArgument {}
extension MigrationFormat: ExpressibleByArgument {}

/// The JSON form of one migration in command output.
struct MigrationStepJSON: Encodable {
    let version: Int64
    let name: String
    let milliseconds: Int64

    init(_ step: MigrationRunResult.Step) {
        version = step.version
        name = step.name
        milliseconds = step.milliseconds
    }
}
