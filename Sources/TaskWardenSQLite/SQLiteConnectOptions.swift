import CSQLite
import TaskWardenCore

/// What a `sqlite:` URL's query parameters ask for.
struct SQLiteConnectOptions {
    var busyTimeoutMilliseconds = SQLiteConnection.defaultBusyTimeoutMilliseconds
    var openFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    var journalMode: String?

    static let journalModes: Set<String> = ["delete", "truncate", "persist", "memory", "wal", "off"]

    init(_ url: DatabaseURL) throws(DatabaseURLError) {
        for (name, value) in url.parameters {
            switch name {
            case "busy_timeout":
                // The busy handler takes a C int.
                guard let milliseconds = Int(value), (0...Int(Int32.max)).contains(milliseconds) else {
                    throw DatabaseURLError(
                        "SQLite URL parameter busy_timeout must be a whole number of milliseconds from 0 to \(Int32.max), not '\(value.prefix(24))'")
                }
                busyTimeoutMilliseconds = milliseconds
            case "mode":
                switch value {
                case "rwc": openFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
                case "rw": openFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
                case "ro": openFlags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
                default: throw DatabaseURLError("SQLite URL parameter mode must be rwc, rw or ro, not '\(value)'")
                }
            case "journal_mode":
                guard Self.journalModes.contains(value.lowercased()) else {
                    throw DatabaseURLError(
                        "SQLite URL parameter journal_mode must be one of \(Self.journalModes.sorted().joined(separator: ", ")), not '\(value)'")
                }
                journalMode = value.lowercased()
            default:
                throw DatabaseURLError("unknown SQLite URL parameter '\(name)' (accepted: busy_timeout, mode, journal_mode)")
            }
        }
    }
}
