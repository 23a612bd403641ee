import Dispatch

/// Gives `async` code a connection without blocking Swift's cooperative thread pool.
///
/// The C client libraries block the calling thread for as long as the server takes. Swift's
/// cooperative pool has one thread per core, so a few blocked tasks would stall every other
/// task in the process. A `DatabaseQueue` owns one connection and a serial dispatch queue, and
/// runs each closure there: the awaiting task is suspended, not blocked, and the connection is
/// only ever used by one thread at a time.
///
/// ```swift
/// let queue = try await DatabaseQueue.open(url, using: Database.connect)
/// let count = try await queue.run { db in try db.queryValue(Int.self, "SELECT count(*) FROM task_runs") }
/// ```
public final class DatabaseQueue: Sendable {
    private let dispatchQueue: DispatchQueue
    private let box: ConnectionBox

    /// Takes ownership of `connection`, which must not be used elsewhere afterwards.
    public init(_ connection: any DatabaseConnection, label: String = "taskwarden.database") {
        self.dispatchQueue = DispatchQueue(label: label)
        self.box = ConnectionBox(connection)
    }

    /// Opens a connection on a dispatch thread (connecting blocks too) and wraps it.
    public static func open(
        _ url: DatabaseURL,
        using connect: @escaping @Sendable (DatabaseURL) throws -> any DatabaseConnection
    ) async throws -> DatabaseQueue {
        let dispatchQueue = DispatchQueue(label: "taskwarden.database")
        let box = try await dispatchQueue.runBlocking { ConnectionBox(try connect(url)) }
        return DatabaseQueue(box: box, dispatchQueue: dispatchQueue)
    }

    private init(box: ConnectionBox, dispatchQueue: DispatchQueue) {
        self.box = box
        self.dispatchQueue = dispatchQueue
    }

    /// Runs `body` with the connection on the queue's thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable (any DatabaseConnection) throws -> T) async throws -> T {
        let box = self.box
        return try await dispatchQueue.runBlocking { try body(box.connection) }
    }

    /// Closes the connection once the closures already submitted have run.
    public func close() async {
        let box = self.box
        _ = try? await dispatchQueue.runBlocking { box.connection.close() }
    }
}

/// Carries a non-`Sendable` connection to the dispatch queue that alone uses it.
private final class ConnectionBox: @unchecked Sendable {
    let connection: any DatabaseConnection
    init(_ connection: any DatabaseConnection) { self.connection = connection }
}
