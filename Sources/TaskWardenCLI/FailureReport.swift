import ArgumentParser
import Foundation
import TaskWarden

/// What the user is told when a command fails: one line, and the exit code that goes with it.
struct FailureReport: Error {
    let message: String
    let status: ExitStatus

    /// The longest error line printed; longer messages are cut, with `...`.
    static let maximumLength = 500

    init(message: String, status: ExitStatus) {
        // Every failure is one short line, whatever a library or the input put in the message.
        let line = message.oneLine
        self.message = line.count > Self.maximumLength ? line.prefix(Self.maximumLength) + "..." : line
        self.status = status
    }

    /// Classifies any error thrown by a command.
    init(_ error: Error) {
        switch error {
        case let report as FailureReport:
            self = report
        case let error as DatabaseURLError:
            self.init(message: error.message, status: .usage)
        case let error as SQLIdentifierError:
            self.init(message: error.description, status: .usage)
        case let error as ConnectFailure:
            self.init(message: error.description, status: .cannotConnect)
        case let error as DatabaseError where error.category == .readOnly:
            self.init(
                message: "the server refuses writes (a read-only standby; after a failover, reach the primary with a URL listing every host and target_session_attrs=read-write): \(error)",
                status: .databaseError)
        case let error as DatabaseError where error.category == .connectionLost:
            // Mid-command, a failover or a restart: each batch or migration committed so far
            // stays, and running the command again finishes the work.
            self.init(
                message: "lost the connection to the database (\(error)); what was committed stays: run the command again to finish",
                status: .databaseError)
        case let error as DatabaseError:
            self.init(message: error.description, status: .databaseError)
        case let error as CommitOutcomeUnknown:
            // Every command changes what is still left when run again (a batch re-selects its
            // runs, a migration checks its version), except a count of steps down.
            self.init(
                message: "\(error.description.oneLine); what was committed before stays: run the command again to finish (after migrate down --steps, check migrate status first)",
                status: .databaseError)
        case let error as MigrationError:
            self.init(message: error.message, status: Self.status(for: error.kind))
        case let error as MigrationFileError:
            self.init(message: error.description, status: .validationFailed)
        case let error as ConfigurationError:
            self.init(message: error.description, status: .usage)
        case let error as TaskTableError:
            self.init(message: error.description, status: .usage)
        case let error as MaintenanceError:
            self.init(message: Self.message(for: error), status: .usage)
        case let error as TimestampRangeError:
            self.init(message: error.description, status: .usage)
        case let error as LockWaitExceeded:
            self.init(message: error.description, status: .lockTimeout)
        case let error as PurgeExportError:
            self.init(message: error.description, status: .internalError)
        case let error as RunInputError:
            self.init(message: Self.message(for: error.kind), status: .usage)
        case let error as DurationParseError:
            self.init(message: error.description, status: .usage)
        case let error as ValidationError:
            self.init(message: error.message, status: .usage)
        default:
            self.init(message: String(describing: error).oneLine, status: .internalError)
        }
    }

    /// Bad input to a run command, worded with the flag that gave it.
    private static func message(for kind: RunInputError.Kind) -> String {
        switch kind {
        case .malformedRunID(let id, let table):
            "--id '\(RunText.safe(id))' is not a run id: the id column of \(table) holds integers; nothing was changed"
        case .runIDTooLong(let id, let limit):
            "--id '\(RunText.safe(String(id.prefix(20))))...' is longer than the \(limit) characters the journal holds; nothing was changed"
        case .actorTooLong(let length, let limit):
            "--actor is \(length) characters long; the journal holds at most \(limit); nothing was changed"
        case .reasonTooLong(let bytes, let limit):
            "--reason is \(bytes) bytes long; the journal holds at most \(limit); nothing was changed"
        }
    }

    /// A maintenance operation refused, worded with the flags that set its options.
    private static func message(for error: MaintenanceError) -> String {
        switch error.kind {
        case .unmappedColumns(_, let table, .filteringByKind):
            "table \(table) maps no 'kind' column, so --kind (or a retention per kind) cannot filter it"
        case .unmappedColumns(_, let table, .requestingCancel):
            "table \(table) has no cancel_requested_at column: map it to ask runs to stop (or use reset to cancel them outright)"
        case .noRetention:
            "no retention given: pass --succeeded-older-than / --failed-older-than / --cancelled-older-than, or set retention in the configuration"
        case .batchSizeTooSmall:
            "--batch-size must be at least 1"
        case .noRunsNamed:
            "name the runs to cancel: --id N or --kind K"
        case .noStatusesToReset:
            "a reset needs at least one --status"
        case .recoverTarget(let status):
            "--to \(status.rawValue): recover marks stuck runs failed, cancelled or queued"
        default:
            error.description
        }
    }

    private static func status(for kind: MigrationError.Kind) -> ExitStatus {
        switch kind {
        case .drift: .validationFailed
        case .dirty: .dirty
        case .lockTimeout, .lockLost: .lockTimeout
        case .failed: .databaseError
        default: .usage
        }
    }

    /// Writes the report (and JSON on standard output when asked) and returns the exit code.
    func emit(json: Bool) -> Int32 {
        // Messages can quote run data or server text: escaped, so they stay one printable line.
        FileHandle.standardError.write(Data("taskwarden: error: \(TerminalText.escaped(message.oneLine))\n".utf8))
        if json {
            JSONOutput.print(JSONFailure(error: message.oneLine, exitCode: status.code))
        }
        return status.code
    }

    private struct JSONFailure: Encodable {
        let ok = false
        let error: String
        let exitCode: Int32
    }
}

/// A connection attempt that failed, named by its redacted URL.
struct ConnectFailure: Error, CustomStringConvertible {
    let url: DatabaseURL
    let underlying: Error

    var description: String {
        let reason = (underlying as? DatabaseError).map(\.message) ?? String(describing: underlying)
        let hint = (underlying as? DatabaseError)?.category == .authentication ? " (check the user and password)" : ""
        return url.scrubbingPassword(from: "cannot connect to \(url.redacted): \(reason.oneLine)\(hint)")
    }
}
