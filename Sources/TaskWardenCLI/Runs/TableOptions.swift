import ArgumentParser
import Foundation
import TaskWarden

/// The options of commands that work on a task table: which mapping, and who is acting.
struct TableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Configuration file with the table mapping and thresholds (default: ./taskwarden.yaml if present).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Who is recorded in the journal (default: the OS user).", valueName: "name"))
    var actor: String?

    @Option(
        help: ArgumentHelp(
            "Give up when a lock (another session's LOCK TABLE, a long transaction) is not granted within this long.",
            valueName: "duration"))
    var lockWait: Duration = .seconds(10)

    func validate() throws {
        try Optional(lockWait).requirePositive("--lock-wait")
    }

    /// Opens the database, reads the configuration, runs `body`, and closes.
    ///
    /// The session waits at most `--lock-wait` for any lock; meanwhile a ``LockWaitWatch``
    /// says on a terminal who holds it, and names the holder if the wait runs out.
    func withTaskRuns<T>(
        _ globals: GlobalOptions, _ body: (DatabaseSession, TaskRuns, TaskWardenConfiguration) throws -> T
    ) throws -> T {
        let configuration = try TaskWardenConfiguration.load(path: config)
        let logger = globals.makeLogger()
        let session = try DatabaseSession.open(globals, logger: logger, lockWait: lockWait)
        defer { session.database.close() }
        let connectURL = session.connectURL
        // One session for the whole command, never retried behind the operator's back.
        do {
            return try withTaskRuns(session, configuration, globals: globals, connectURL: connectURL, body)
        } catch let error as TaskTableError {
            // A mapping's column the table lacks: name the file and the key, as for any
            // other mistake in the configuration.
            guard let source = configuration.source else { throw error }
            switch error.kind {
            case .unknownColumn: throw ConfigurationError(path: source, message: "table.\(error.description)")
            case .missingColumn(let column, _): throw ConfigurationError(path: source, message: "table.columns.\(column.rawValue): \(error.description)")
            default: throw error
            }
        }
    }

    private func withTaskRuns<T>(
        _ session: DatabaseSession, _ configuration: TaskWardenConfiguration, globals: GlobalOptions, connectURL: DatabaseURL,
        _ body: (DatabaseSession, TaskRuns, TaskWardenConfiguration) throws -> T
    ) throws -> T {
        try session.database.withTaskRuns(table: configuration.table, actor: actor ?? TaskRuns.defaultActor(), retry: .never) { runs in
            let watch = LockWaitWatch.start(
                connection: runs.connection, openAnother: { try DatabaseDrivers.connect(connectURL) },
                announce: !globals.json && isatty(STDERR_FILENO) == 1, limit: lockWait)
            defer { watch.stop() }
            do {
                return try body(session, runs, configuration)
            } catch let error as DatabaseError where error.category == .lockTimeout || error.category == .busy {
                throw LockWaitExceeded(limit: lockWait, holder: watch.holder, underlying: error)
            } catch let error as DatabaseError where error.isUndefinedTable {
                // Most often the wrong database: say which one was used and how it was chosen.
                throw FailureReport(
                    message: "\(error.message.oneLine) in \(session.url.redacted) (from \(session.source)): run 'taskwarden migrate' there, or map your table in taskwarden.yaml",
                    status: .databaseError)
            }
        }
    }
}

/// Which runs `stuck` and `recover` look at.
struct StuckSelection: ParsableArguments {
    @Option(help: ArgumentHelp("Threshold for every kind (default: the configuration's, else 30m).", valueName: "duration"))
    var olderThan: Duration?

    @Option(help: ArgumentHelp("Only runs of this kind.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("At most this many runs, longest silent first.", valueName: "n"))
    var limit: Int?

    func validate() throws {
        try olderThan.requirePositive("--older-than")
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }
}

extension TaskStatus: ExpressibleByArgument {}

/// Text forms used by the run commands. Everything from the database goes through ``safe(_:)``
/// (ids through ``id(_:)``) before it is printed as text.
enum RunText {
    /// A run id for text output, escaped.
    static func id(_ value: DatabaseValue) -> String { safe(value.plainText) }
    /// Run data as printable text: control characters escaped (see ``TerminalText``).
    static func safe(_ text: String) -> String { TerminalText.escaped(text) }
    static func safe(_ text: String?) -> String { text.map(safe) ?? "" }
    static func time(_ value: Timestamp?) -> String { value?.description ?? "" }
    /// An age for people, in at most two units: `200d`, `2h3m`, `4s`.
    static func age(_ duration: Duration) -> String { duration.ageText }
}

/// JSON of a changed run.
struct ChangedRunJSON: Encodable {
    let table: String
    let id: String
    let oldStatus: String
    let newStatus: String

    init(_ run: ChangedRun) {
        table = run.table
        id = run.id.plainText
        oldStatus = run.oldStatus
        newStatus = run.newStatus
    }
}
