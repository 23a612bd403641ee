import Logging
import TaskWardenCore
import TaskWardenMySQL
import TaskWardenPostgreSQL
import TaskWardenSQLite

/// Opens connections to any backend TaskWarden supports, and the queues and pools that lend them.
///
/// The one place that knows every driver: operations receive a ``DatabaseAccess`` or a
/// ``DatabaseConnection`` and never ask which driver made it. (Not `Database`: in GRDB that
/// name is the connection itself.)
public enum DatabaseDrivers {
    /// Opens a blocking connection to `url` with the driver for its scheme.
    ///
    /// - Throws: ``DatabaseURLError`` for parameters the driver does not accept, and
    ///   ``DatabaseError`` when the server cannot be reached or refuses the session.
    public static func connect(_ url: DatabaseURL) throws -> any DatabaseConnection {
        switch url.backend {
        case .postgresql: try PostgreSQLConnection.connect(url)
        case .mysql: try MySQLConnection.connect(url)
        case .sqlite: try SQLiteConnection.connect(url)
        }
    }

    /// Parses `url` and opens a connection to it.
    public static func connect(_ url: String) throws -> any DatabaseConnection {
        try connect(try DatabaseURL(parsing: url))
    }

    /// A bounded pool of short sessions to `url`, with health checks and retries (see
    /// ``ConnectionPool``). It connects lazily, on first use.
    ///
    /// - Parameter logger: where the pool reports each retry (its reason and the redacted URL)
    ///   and each connection dropped at checkout; give it your application's logger so that
    ///   these land in your logs rather than only in swift-log's default handler.
    public static func pool(
        _ url: DatabaseURL, options: ConnectionPool.Options = ConnectionPool.Options(), logger: Logger = Logger(label: "taskwarden.pool")
    ) -> ConnectionPool {
        ConnectionPool(url: url, options: options, logger: logger, connect: { try connect($0) })
    }

    /// Opens one connection to `url` on a thread of its own, retrying as `retry` allows, and
    /// returns the queue that lends it (see ``ConnectionQueue``).
    public static func queue(
        _ url: DatabaseURL, retry: RetryPolicy = .never, logger: Logger = Logger(label: "taskwarden.queue")
    ) async throws -> ConnectionQueue {
        try await ConnectionQueue.open(url, retry: retry, logger: logger, using: { try connect($0) })
    }

    /// ``queue(_:retry:logger:)`` for a thread of your own: blocks it while connecting.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public static func queue(
        _ url: DatabaseURL, retry: RetryPolicy = .never, logger: Logger = Logger(label: "taskwarden.queue")
    ) throws -> ConnectionQueue {
        try ConnectionQueue.open(url, retry: retry, logger: logger, using: { try connect($0) })
    }
}
