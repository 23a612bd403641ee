import ArgumentParser
import Foundation
import Logging
import TaskWarden

/// The options every command that touches a database shares.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.customShort("d"), .long],
        help: ArgumentHelp(
            "Database URL: postgres://..., mysql://..., sqlite:path.db (default: $TASKWARDEN_DATABASE_URL, $DATABASE_URL, sqlite:taskwarden.sqlite).",
            valueName: "url"))
    var database: String?

    @Option(
        help: ArgumentHelp(
            "A file whose first line is the database URL (a mounted secret; also $TASKWARDEN_DATABASE_URL_FILE). Keeps the password out of the process list.",
            valueName: "path"))
    var databaseFile: String?

    @Flag(help: "Print machine-readable JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Log level on standard error: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: Logger.Level = .warning

    func validate() throws {
        if database != nil, databaseFile != nil { throw ValidationError("give --database or --database-file, not both") }
    }

    /// The database URL to use and where it came from.
    func resolveDatabaseURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (url: DatabaseURL, source: DatabaseURL.Source) {
        try DatabaseURL.resolve(option: database, optionFile: databaseFile, environment: environment)
    }

    /// A logger writing to standard error at the chosen level.
    func makeLogger(label: String = "taskwarden") -> Logger {
        GlobalOptions.bootstrapOnce
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }

    private static let bootstrapOnce: Void = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }()
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// A command whose shared options the entry point can read, to format failures as asked.
protocol GlobalOptionsProviding {
    var globals: GlobalOptions { get }
}
