import CSQLite
import Foundation
import TaskWardenCore

/// A connection to a SQLite database file (or an in-memory database), through libsqlite3.
///
/// Time is stored as text, `YYYY-MM-DD HH:MM:SS.ffffff` in UTC: it sorts correctly as text,
/// SQLite's date functions read it, and a person can read it. Values read from columns declared
/// `TIMESTAMP` or `DATETIME` come back as ``DatabaseValue/timestamp(_:)`` when they parse.
///
/// URL parameters: `busy_timeout` (milliseconds to wait for another writer's lock, default
/// 5000), `mode` (`rwc`, the default, creates the file; `rw` requires it; `ro` opens it read-only)
/// and `journal_mode` (for example `wal`; when absent, a file the connection creates gets `wal`
/// and an existing file keeps its mode).
package final class SQLiteConnection: DatabaseConnection {
    package let url: DatabaseURL
    package let dialect: SQLDialect
    package let serverVersion: String
    private var handle: OpaquePointer?
    /// How long a write waits for another connection's lock, trying every millisecond.
    ///
    /// SQLite's own busy handler sleeps up to 100 ms between tries, so a writer can sleep
    /// on long after the lock is free; this one does not (see `tw_sqlite3_busy_poll`).
    /// `PRAGMA busy_timeout` reads 0 with a handler of one's own: this is the setting.
    package let busyTimeoutMilliseconds: Int

    package var clientLockWait: Duration? { .milliseconds(busyTimeoutMilliseconds) }

    package static let defaultBusyTimeoutMilliseconds = 5_000

    package static func connect(_ url: DatabaseURL) throws -> SQLiteConnection {
        guard url.backend == .sqlite, let location = url.sqliteLocation else {
            throw DatabaseURLError("not a SQLite URL: \(url.redacted)")
        }
        let options = try SQLiteConnectOptions(url)
        let path: String
        switch location {
        case .memory: path = ":memory:"
        case .file(let file): path = file
        }
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, options.openFlags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(handle)
            throw DatabaseError(
                backend: .sqlite, category: SQLiteErrorClassifier.category(resultCode: status, message: message),
                vendorCode: Int(status), message: "cannot open \(path): \(message)")
        }
        sqlite3_extended_result_codes(handle, 1)
        tw_sqlite3_busy_wait(handle, Int32(options.busyTimeoutMilliseconds))
        tw_sqlite3_register_unhex(handle)
        let connection = SQLiteConnection(url: url, handle: handle, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        if let journalMode = options.journalMode {
            connection.sessionSetup = ["PRAGMA journal_mode = \(journalMode)"]
            try connection.runSessionSetup(connection.sessionSetup)
        } else if path != ":memory:", options.openFlags & SQLITE_OPEN_READWRITE != 0,
            try connection.query("PRAGMA page_count", []).first?.decode(Int.self, "page_count") == 0
        {
            // A file with no pages is one this connection creates: it gets WAL, so readers and
            // the writer do not block each other. A file someone else made keeps its mode.
            try connection.enterWAL(within: .milliseconds(options.busyTimeoutMilliseconds))
            connection.sessionSetup = ["PRAGMA journal_mode = wal"]
        }
        return connection
    }

    /// Puts a new file in WAL mode, also when another connection is creating it at the same
    /// moment; closes the connection and throws if it cannot within `timeout`.
    ///
    /// Two connections that both read the empty file and then both ask for WAL cannot both
    /// wait: SQLite answers one of them `SQLITE_BUSY` at once, without its busy handler (two
    /// processes starting on a fresh database, or a pool opening two connections). The mode
    /// is the file's, so once the other connection has set it there is nothing left to do.
    private func enterWAL(within timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                try execute("PRAGMA journal_mode = wal", [])
                return
            } catch let error as DatabaseError where error.category == .busy {
                if (try? query("PRAGMA journal_mode", []).first?.decode(String.self, "journal_mode"))?.lowercased() == "wal" { return }
                guard ContinuousClock.now < deadline else {
                    close()
                    throw error
                }
                Thread.sleep(forTimeInterval: 0.005)
            } catch {
                close()
                throw error
            }
        }
    }

    private init(url: DatabaseURL, handle: OpaquePointer, busyTimeoutMilliseconds: Int) {
        self.url = url
        self.handle = handle
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.serverVersion = String(cString: sqlite3_libversion())
        self.dialect = .sqlite(
            versionNumber: Int(sqlite3_libversion_number()),
            hasDeleteLimit: sqlite3_compileoption_used("ENABLE_UPDATE_DELETE_LIMIT") == 1)
    }

    deinit { close() }

    package private(set) var sessionSetup: [String] = []

    package var isClosed: Bool { handle == nil }

    @discardableResult
    package func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int {
        let handle = try openHandle(sql)
        let before = sqlite3_total_changes64(handle)
        try withStatement(sql, parameters) { statement in
            while try step(statement, sql) {}
        }
        return sqlite3_total_changes64(handle) == before ? 0 : Int(sqlite3_changes64(handle))
    }

    package func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] {
        try withStatement(sql, parameters) { statement in
            let decoder = SQLiteRowDecoder(statement)
            var rows: [Row] = []
            while try step(statement, sql) {
                rows.append(decoder.row())
            }
            return rows
        }
    }

    /// Reads the schema, which makes SQLite read the file header: a file that is not a
    /// database fails here rather than at the first real statement.
    package func ping() throws {
        _ = try query("SELECT count(*) FROM sqlite_master", [])
    }

    package func close() {
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    private func openHandle(_ sql: String) throws -> OpaquePointer {
        guard let handle else {
            throw DatabaseError(backend: .sqlite, category: .connectionLost, message: "the connection is closed", sql: sql)
        }
        return handle
    }

    /// Prepares `sql` as exactly one statement, binds `parameters`, and runs `body` with it.
    private func withStatement<T>(_ sql: String, _ parameters: [DatabaseValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = try openHandle(sql)
        let statement = try sql.withCString { start -> OpaquePointer in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(handle, start, -1, &statement, &tail)
            guard status == SQLITE_OK else { throw makeError(status, sql: sql) }
            guard let statement else {
                throw DatabaseError(backend: .sqlite, category: .other, message: "empty statement", sql: sql)
            }
            // The tail pointer lives only as long as this C string: check it here.
            if let tail, tail.pointee != 0, holdsStatement(handle, tail) {
                sqlite3_finalize(statement)
                throw DatabaseError(
                    backend: .sqlite, category: .other,
                    message: "the text holds more than one statement; run them one at a time", sql: sql)
            }
            return statement
        }
        defer { sqlite3_finalize(statement) }
        try SQLiteParameterBinder(statement: statement).bind(parameters, sql: sql) { makeError($0, sql: sql) }
        return try body(statement)
    }

    /// Whether the text after the first statement holds another one (not only space and comments).
    private func holdsStatement(_ handle: OpaquePointer, _ text: UnsafePointer<CChar>) -> Bool {
        var second: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, text, -1, &second, nil)
        sqlite3_finalize(second)
        return status != SQLITE_OK || second != nil
    }

    /// Steps once: `true` when a row is ready, `false` when the statement is done.
    private func step(_ statement: OpaquePointer, _ sql: String) throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw makeError(status, sql: sql)
        }
    }

    private func makeError(_ status: Int32, sql: String?) -> DatabaseError {
        let code = handle.map { sqlite3_extended_errcode($0) } ?? status
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
        return DatabaseError(
            backend: .sqlite, category: SQLiteErrorClassifier.category(resultCode: code, message: message),
            vendorCode: Int(code), message: message.oneLine, sql: sql)
    }
}
