import CMariaDB
import TaskWardenCore

/// A session with a MySQL or MariaDB server, through MariaDB Connector/C (libmariadb).
///
/// Statements with parameters, and every query, go through the prepared-statement API with
/// binary-protocol values; parameterless commands use `mysql_real_query`. The session's
/// `time_zone` is UTC, its character set `utf8mb4`, and automatic reconnection is off: a lost
/// connection is reported as ``DatabaseError/Category/connectionLost``, never papered over by a
/// silent reconnect that would drop the session's transaction and locks.
///
/// The connection uses `CLIENT_FOUND_ROWS`, so `execute` returns the rows an `UPDATE` *matched*,
/// as PostgreSQL and SQLite do, not only those whose values changed.
package final class MySQLConnection: DatabaseConnection {
    package let url: DatabaseURL
    package let dialect: SQLDialect
    package let serverVersion: String
    private var handle: UnsafeMutablePointer<MYSQL>?
    private var lost = false

    /// `mysql_library_init` must run once before any thread uses the library.
    private static let libraryInitialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Opens a session, waiting at most `connect_timeout` seconds (default 10).
    package static func connect(_ url: DatabaseURL) throws -> MySQLConnection {
        guard url.backend == .mysql else {
            throw DatabaseURLError("not a MySQL URL: \(url.redacted)")
        }
        let options = try MySQLConnectOptions(url)
        guard libraryInitialized, let handle = mysql_init(nil) else {
            throw DatabaseError(backend: .mysql, category: .other, message: "libmariadb could not be initialised")
        }
        options.apply(to: handle)
        let connected = mysql_real_connect(
            handle, url.host ?? "localhost", url.user, url.password, url.database,
            UInt32(url.port ?? 0), options.socket, UInt(CLIENT_FOUND_ROWS))
        guard connected != nil else {
            let error = MySQLErrorClassifier.error(
                code: Int(mysql_errno(handle)), sqlState: String(cString: mysql_sqlstate(handle)),
                message: url.scrubbingPassword(from: String(cString: mysql_error(handle))), sql: nil)
            mysql_close(handle)
            throw error
        }
        // libmariadb honours MYSQL_OPT_SSL_ENFORCE only together with certificate
        // verification: with `required` alone it falls back to plain text when the server
        // offers no TLS. Whether the session really is encrypted is checked here instead.
        if options.requiresEncryption, mysql_get_ssl_cipher(handle) == nil {
            mysql_close(handle)
            throw DatabaseError(
                backend: .mysql, category: .other,
                message: "ssl-mode=\(options.sslMode) asks for TLS, but the session is not encrypted (the server offers no TLS, or the connection uses a Unix socket); refusing to continue in plain text")
        }
        let connection = MySQLConnection(url: url, handle: handle)
        connection.sessionSetup = ["SET time_zone = '+00:00'"] + options.sessionSettings
        try connection.runSessionSetup(connection.sessionSetup)
        return connection
    }

    private init(url: DatabaseURL, handle: UnsafeMutablePointer<MYSQL>) {
        self.url = url
        self.handle = handle
        let version = String(cString: mysql_get_server_info(handle))
        self.serverVersion = version
        self.dialect = .mySQL(
            isMariaDB: version.contains("MariaDB"), versionNumber: Int(mysql_get_server_version(handle)))
    }

    deinit { close() }

    package private(set) var sessionSetup: [String] = []

    package var isClosed: Bool { handle == nil || lost }

    @discardableResult
    package func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int {
        let handle = try openHandle(sql)
        if parameters.isEmpty {
            return try track { try executeText(handle, sql) }
        }
        return try track { try MySQLStatement(handle, sql: sql).execute(parameters).affectedRows }
    }

    package func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] {
        let handle = try openHandle(sql)
        return try track { try MySQLStatement(handle, sql: sql).execute(parameters).rows }
    }

    package func ping() throws {
        let handle = try openHandle(nil)
        try track {
            if mysql_ping(handle) != 0 { throw connectionError(handle, sql: nil) }
        }
    }

    package func close() {
        if let handle {
            mysql_close(handle)
            self.handle = nil
        }
    }

    private func openHandle(_ sql: String?) throws -> UnsafeMutablePointer<MYSQL> {
        guard let handle else {
            throw DatabaseError(backend: .mysql, category: .connectionLost, message: "the connection is closed", sql: sql)
        }
        return handle
    }

    /// Runs `body`, remembering when the session turns out to be gone.
    private func track<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            if error.category == .connectionLost { lost = true }
            throw error
        }
    }

    /// Runs a parameterless statement over the text protocol and discards any result set.
    private func executeText(_ handle: UnsafeMutablePointer<MYSQL>, _ sql: String) throws -> Int {
        let status = sql.withCString { mysql_real_query(handle, $0, UInt(sql.utf8.count)) }
        guard status == 0 else { throw connectionError(handle, sql: sql) }
        if let result = mysql_store_result(handle) {
            mysql_free_result(result)
            return 0
        }
        guard mysql_field_count(handle) == 0 else { throw connectionError(handle, sql: sql) }
        let affected = mysql_affected_rows(handle)
        return affected == UInt64.max ? 0 : Int(affected)
    }

    private func connectionError(_ handle: UnsafeMutablePointer<MYSQL>, sql: String?) -> DatabaseError {
        MySQLErrorClassifier.error(
            code: Int(mysql_errno(handle)), sqlState: String(cString: mysql_sqlstate(handle)),
            message: url.scrubbingPassword(from: String(cString: mysql_error(handle))), sql: sql)
    }
}
