import ServiceLifecycle

/// A pool runs as a swift-service-lifecycle `Service`: it lends connections until graceful
/// shutdown, then closes them.
///
/// Put the pool in the same `ServiceGroup` as the services that use it, before them, so that
/// the group shuts them down first (in reverse order) and the pool closes last:
///
/// ```swift
/// let pool = DatabaseDrivers.pool(url, logger: logger)
/// let group = ServiceGroup(services: [pool, worker], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
extension ConnectionPool: Service {
    /// Waits for graceful shutdown (or cancellation), then closes the pool.
    public func run() async throws {
        // Cancellation ends the wait too; either way the pool is done.
        try? await gracefulShutdown()
        close()
    }
}
