import TaskWardenCore

/// The lifecycle steps from `async` code, one by one.
///
/// Each is the blocking step of the same name run on a dispatch thread while the calling task
/// is suspended: the C client libraries block their thread for as long as the server takes,
/// and Swift's cooperative pool has only one thread per core, so calling the blocking steps
/// directly from a task would stall every other task meanwhile. In `async` code, `try await
/// lifecycle.start(id)` picks these; in synchronous code, `try lifecycle.start(id)` the others.
extension RunLifecycle {
    /// ``start(_:)`` from `async` code, on a dispatch thread.
    public func start(_ id: DatabaseValue) async throws -> RunTicket {
        let lifecycle = self
        return try await onThread { try lifecycle.start(id) }
    }

    /// ``heartbeat(_:progress:)`` from `async` code, on a dispatch thread.
    public func heartbeat(_ ticket: RunTicket, progress: Double? = nil) async throws {
        let lifecycle = self
        try await onThread { try lifecycle.heartbeat(ticket, progress: progress) }
    }

    /// ``isCancelRequested(_:)`` from `async` code, on a dispatch thread.
    public func isCancelRequested(_ ticket: RunTicket) async throws -> Bool {
        let lifecycle = self
        return try await onThread { try lifecycle.isCancelRequested(ticket) }
    }

    /// ``finish(_:_:)`` from `async` code, on a dispatch thread.
    public func finish(_ ticket: RunTicket, _ outcome: RunOutcome) async throws {
        let lifecycle = self
        try await onThread { try lifecycle.finish(ticket, outcome) }
    }
}
