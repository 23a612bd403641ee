import CPostgreSQL
#if canImport(Glibc)
    import Glibc
#endif
import TaskWardenCore

/// A session with a PostgreSQL server, through libpq.
///
/// Statements go through `PQexecParams` with text-format parameters (binary for `bytea`) and
/// text-format results, decoded by column type. The session's time zone is set to UTC and its
/// date style to ISO, so timestamps travel in one unambiguous form; both are settings pgbouncer
/// carries across pooled server connections.
///
/// Behind a pooler or proxy (``isRelayed``), the URL's `statement_timeout` and `lock_timeout`
/// are set at the start of each transaction (`SET LOCAL`) instead of on the session: a
/// transaction pooler hands the next transaction to another server session, and would hand a
/// session setting to another client.
package final class PostgreSQLConnection: DatabaseConnection {
    package let url: DatabaseURL
    package let dialect: SQLDialect
    package let serverVersion: String
    private var handle: OpaquePointer?

    /// Opens a session, waiting at most `connect_timeout` seconds (default 10).
    ///
    /// URL query parameters are passed to libpq as connection keywords (`sslmode`,
    /// `sslrootcert`, `keepalives_idle`, ...); `statement_timeout` and `lock_timeout` (in
    /// milliseconds) are applied to the session instead.
    package static func connect(_ url: DatabaseURL) throws -> PostgreSQLConnection {
        guard url.backend == .postgresql else {
            throw DatabaseURLError("not a PostgreSQL URL: \(url.redacted)")
        }
        let options = try PostgreSQLConnectOptions(url)
        // PQconnectStartParams rather than PQconnectdbParams: it returns the connection before
        // a single message from the server has been read, so the notice processor is in place
        // first. A session killed while it connects sends its FATAL after ReadyForQuery, and
        // libpq hands an error that arrives while idle to the notice processor, whose default
        // prints it on stderr, next to TaskWarden's own one-line error.
        let handle = options.keywords.withConnectionArrays { keywords, values in
            PQconnectStartParams(keywords, values, 0)
        }
        guard let handle else {
            throw DatabaseError(backend: .postgresql, category: .other, message: "libpq could not allocate a connection")
        }
        tw_pq_silence_notices(handle)
        guard PQstatus(handle) != CONNECTION_BAD, Self.completeConnection(handle, timeout: options.connectTimeout) else {
            let message = url.scrubbingPassword(from: String(cString: PQerrorMessage(handle)).oneLine)
            let needsPassword = PQconnectionNeedsPassword(handle) == 1
            PQfinish(handle)
            throw Self.connectError(message: message.isEmpty ? "timeout expired" : message, needsPassword: needsPassword)
        }
        let connection = PostgreSQLConnection(url: url, handle: handle)
        let common = ["SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'"]
        do {
            // One round trip: the session's settings and the client port the server sees.
            let seen = try connection.query(
                "SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, YMD', false), inet_client_port()", []
            ).first.flatMap { try? $0.decode(Int?.self, at: 2) }
            connection.isRelayed = connection.isRelayed(serverSeesPort: seen)
        } catch {
            connection.close()
            throw error
        }
        // (A script for psql, which connects directly, still sets them on its session.)
        connection.sessionSetup = common + options.sessionSettings
        if connection.isRelayed {
            connection.transactionSetup = options.transactionSettings
        } else {
            try connection.runSessionSetup(options.sessionSettings)
        }
        return connection
    }

    /// Drives `PQconnectPoll` until the connection is made or fails, waiting on its socket.
    ///
    /// Keeps libpq's `connect_timeout` semantics, which libpq applies only in its blocking
    /// connect: at most `timeout` per connection attempt (a new socket is a new attempt, as
    /// when libpq tries the host's next address), `nil` for no limit.
    ///
    /// - Returns: `false` on failure or timeout; `PQerrorMessage` then says why (empty after a
    ///   timeout).
    private static func completeConnection(_ handle: OpaquePointer, timeout: Duration?) -> Bool {
        let clock = ContinuousClock()
        var socketInUse = PQsocket(handle)
        var deadline = timeout.map { clock.now + $0 }
        // > On the first iteration, i.e., if you have yet to call PQconnectPoll, behave as if
        // > it last returned PGRES_POLLING_WRITING.
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                return true
            case PGRES_POLLING_FAILED:
                return false
            default:
                let socket = PQsocket(handle)
                guard socket >= 0 else { return false }
                if socket != socketInUse {
                    socketInUse = socket
                    deadline = timeout.map { clock.now + $0 }
                }
                var descriptor = pollfd(fd: socket, events: Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
                let waitMilliseconds: Int32
                if let deadline {
                    let left = deadline - clock.now
                    guard left > .zero else { return false }
                    waitMilliseconds = Int32(min(left.seconds * 1_000, 60_000).rounded(.up))
                } else {
                    waitMilliseconds = -1
                }
                let ready = poll(&descriptor, 1, waitMilliseconds)
                if ready < 0 && errno != EINTR { return false }
                if ready <= 0 { continue }  // Interrupted or timed out: the deadline decides.
            }
            state = PQconnectPoll(handle)
        }
    }

    private init(url: DatabaseURL, handle: OpaquePointer) {
        self.url = url
        self.handle = handle
        let version = PQparameterStatus(handle, "server_version").map { String(cString: $0) } ?? "unknown"
        self.serverVersion = version
        self.dialect = .postgreSQL(serverVersionNumber: Int(PQserverVersion(handle)))
    }

    deinit { close() }

    package private(set) var sessionSetup: [String] = []
    package private(set) var isRelayed = false
    /// What runs right after each `BEGIN`: the URL's settings, when a session's do not last.
    private var transactionSetup: String?

    /// Whether the server sees another client port than this connection's socket has: then
    /// a pooler or proxy relays the session. Unix sockets cannot tell, and count as direct.
    private func isRelayed(serverSeesPort seen: Int?) -> Bool {
        guard let handle, let seen, let local = Self.localPort(of: PQsocket(handle)) else { return false }
        return seen != local
    }

    /// The local TCP port of `socket`, or `nil` for a Unix socket.
    private static func localPort(of socket: Int32) -> Int? {
        guard socket >= 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard status == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }

    package var isClosed: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    @discardableResult
    package func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    package func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row] {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return PostgreSQLResultDecoder(result).rows()
    }

    package func ping() throws {
        try execute("SELECT 1", [])
    }

    package func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// Runs one statement and returns its successful result, which the caller must clear.
    private func run(_ sql: String, _ parameters: [DatabaseValue]) throws -> OpaquePointer {
        guard let handle else {
            throw DatabaseError(backend: .postgresql, category: .connectionLost, message: "the connection is closed", sql: sql)
        }
        let wasIdle = PQtransactionStatus(handle) == PQTRANS_IDLE
        let encoded = PostgreSQLParameters(parameters)
        let result = encoded.withArrays { types, values, lengths, formats in
            PQexecParams(handle, sql, Int32(parameters.count), types, values, lengths, formats, 0)
        }
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if let result, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
            if wasIdle, let transactionSetup, PQtransactionStatus(handle) == PQTRANS_INTRANS {
                do {
                    PQclear(try run(transactionSetup, []))
                } catch {
                    PQclear(result)
                    throw error
                }
            }
            return result
        }
        let error = makeError(result: result, sql: sql)
        PQclear(result)
        throw error
    }

    private func makeError(result: OpaquePointer?, sql: String) -> DatabaseError {
        let sqlState = result.flatMap { tw_pq_result_sqlstate($0) }.map { String(cString: $0) }
        var message = result.flatMap { tw_pq_result_primary_message($0) }.map { String(cString: $0) } ?? ""
        if message.isEmpty, let handle {
            message = String(cString: PQerrorMessage(handle))
        }
        let lost = handle.map { PQstatus($0) == CONNECTION_BAD } ?? true
        let category = lost ? .connectionLost : PostgreSQLErrorClassifier.category(sqlState: sqlState)
        return DatabaseError(
            backend: .postgresql, category: category, sqlState: sqlState,
            message: url.scrubbingPassword(from: message.oneLine.isEmpty ? "unknown error" : message.oneLine), sql: sql)
    }

    private static func connectError(message: String, needsPassword: Bool) -> Error {
        if message.hasPrefix("invalid ") {
            return DatabaseURLError("PostgreSQL URL: \(message)")
        }
        return DatabaseError(
            backend: .postgresql,
            category: PostgreSQLErrorClassifier.connectFailureCategory(message: message, needsPassword: needsPassword),
            message: message)
    }
}
