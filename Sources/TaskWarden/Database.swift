import Logging
import TaskWardenCore
import TaskWardenMySQL
import TaskWardenPostgreSQL
import TaskWardenSQLite

/// Opens connections to any backend TaskWarden supports.
///
/// The one place that knows every driver: operations receive a ``DatabaseConnection`` and
/// never ask which driver made it.
public enum Database {
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

    /// A pool of short sessions to `url`, with health checks and retries (see ``DatabasePool``).
    ///
    /// - Parameter logger: where the pool reports each retry (its reason and the redacted URL)
    ///   and each connection dropped at checkout; give it your application's logger so that
    ///   these land in your logs rather than only in swift-log's default handler.
    public static func pool(
        _ url: DatabaseURL, options: DatabasePool.Options = DatabasePool.Options(), logger: Logger = Logger(label: "taskwarden.pool")
    ) -> DatabasePool {
        DatabasePool(url: url, options: options, logger: logger, connect: { try connect($0) })
    }

    /// Opens a connection on a dispatch thread and returns it wrapped for `async` callers.
    public static func open(_ url: DatabaseURL) async throws -> DatabaseQueue {
        try await DatabaseQueue.open(url, using: { try connect($0) })
    }
}
