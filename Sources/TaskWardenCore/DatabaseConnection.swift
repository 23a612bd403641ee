/// One open session with a database: the protocol every driver implements.
///
/// A connection is not thread-safe and not `Sendable`: use it from one thread or serialized
/// context at a time. Its calls block the calling thread while the database works, as the C
/// client libraries do. From `async` code, reach a connection through a ``DatabaseAccess``
/// (``ConnectionQueue``, ``ConnectionPool``), which runs these calls on a thread of its own
/// rather than on Swift's cooperative pool.
///
/// Statements take their values as bound parameters, written with the dialect's placeholders
/// (``SQLDialect/placeholder(_:)``); values are never spliced into SQL text. Each call runs one
/// statement.
public protocol DatabaseConnection: AnyObject {
    /// The URL this connection was opened with (its `description` is redacted).
    var url: DatabaseURL { get }
    /// What differs in this server's SQL.
    var dialect: SQLDialect { get }
    /// The server's version as it reports it, e.g. `15.18` or `10.11.6-MariaDB`.
    var serverVersion: String { get }
    /// Whether ``close()`` was called or the session was found to be lost.
    var isClosed: Bool { get }
    /// How long the client library itself waits for a lock before a statement fails (SQLite's
    /// busy handler), or `nil` where the server enforces lock waits (`lock_timeout`).
    ///
    /// A setting of the session, not of the server, so no SQL can read it: `doctor` asks here.
    var clientLockWait: Duration? { get }
    /// The statements the driver ran when it opened the session (its time zone, the database
    /// URL's settings): what a script for the database's own client starts with.
    var sessionSetup: [String] { get }
    /// Whether something between this connection and the server relays it: a pooler such as
    /// PgBouncer, or a TCP proxy. Then the server's session may change from one transaction
    /// to the next, and neither session locks nor session settings can be relied on.
    ///
    /// Found when connecting, by comparing the client port the server sees with this
    /// connection's own (PostgreSQL over TCP); `false` where that cannot tell (Unix sockets,
    /// other backends).
    var isRelayed: Bool { get }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [DatabaseValue]) throws -> Int

    /// Runs one statement and returns all the rows it produced.
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [Row]

    /// Makes one round trip to the server, and throws if the session is unusable.
    func ping() throws

    /// Ends the session. Calling it twice is harmless.
    func close()
}

extension DatabaseConnection {
    public var backend: DatabaseBackend { dialect.backend }

    public var clientLockWait: Duration? { nil }

    public var sessionSetup: [String] { [] }

    public var isRelayed: Bool { false }

    @discardableResult
    public func execute(_ sql: String, _ parameters: DatabaseValueConvertible...) throws -> Int {
        try execute(sql, parameters.map(\.databaseValue))
    }

    public func query(_ sql: String, _ parameters: DatabaseValueConvertible...) throws -> [Row] {
        try query(sql, parameters.map(\.databaseValue))
    }

    /// The first row of the result, if any.
    public func queryFirst(_ sql: String, _ parameters: [DatabaseValue] = []) throws -> Row? {
        try query(sql, parameters).first
    }

    /// The first column of the first row, decoded as `T` (use `T?` to accept `NULL` or no row).
    public func queryValue<T: DatabaseValueConvertible>(
        _ type: T.Type = T.self, _ sql: String, _ parameters: [DatabaseValue] = []
    ) throws -> T {
        guard let row = try queryFirst(sql, parameters), row.count > 0 else {
            if let none = T.fromDatabaseValue(.null) { return none }
            throw RowDecodingError(column: "1", value: nil, expectedType: "\(T.self)")
        }
        return try row.decode(type, at: 0)
    }
}

extension DatabaseConnection {
    /// Runs a new session's set-up statements; if one fails, closes the connection and rethrows.
    ///
    /// Drivers call this right after connecting, so that a half-configured session (say, one
    /// not in UTC) is never handed out.
    package func runSessionSetup(_ statements: [String]) throws {
        do {
            for statement in statements {
                try execute(statement, [])
            }
        } catch {
            close()
            throw error
        }
    }
}
