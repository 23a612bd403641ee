import Foundation
import TaskWardenCore

/// The lifecycle steps from `async` code, one by one.
///
/// Each runs the statements of the blocking step of the same name on the connection's own
/// thread (see ``DatabaseAccess``) while the calling task is suspended: the C client libraries
/// block their thread for as long as the server takes, and Swift's cooperative pool has only
/// one thread per core. Cancelling the task ends a wait for a connection or a retry's backoff
/// with `CancellationError`. In `async` code, `try await lifecycle.start(id)` picks these; in
/// synchronous code, `try lifecycle.start(id)` the others.
extension RunLifecycle {
    /// ``start(_:)`` from `async` code.
    public func start(_ id: DatabaseValue) async throws -> RunTicket {
        for _ in 0..<4 {
            let token = UUID().uuidString.lowercased()
            do {
                return try await database.withTransaction(retry: retry, idempotent: false) { db in try self.claim(id, token: token, db) }
            } catch let unknown as CommitOutcomeUnknown {
                guard table.has(.startToken) else { throw unknown }
                let current = try await database.withConnection(retry: retry) { db in try self.current(id, db) }
                if let ticket = try resolveLostClaim(id, token: token, current: current) { return ticket }
            }
        }
        let token = UUID().uuidString.lowercased()
        return try await database.withTransaction(retry: retry, idempotent: false) { db in try self.claim(id, token: token, db) }
    }

    /// ``heartbeat(_:progress:)`` from `async` code.
    public func heartbeat(_ ticket: RunTicket, progress: Double? = nil) async throws {
        try requireHeartbeatColumn()
        try await database.withConnection(retry: retry) { db in try self.recordHeartbeat(ticket, progress: progress, db) }
    }

    /// ``isCancelRequested(_:)`` from `async` code.
    public func isCancelRequested(_ ticket: RunTicket) async throws -> Bool {
        try await database.withConnection(retry: retry) { db in try self.readCancelRequest(ticket, db) }
    }

    /// ``finish(_:_:)`` from `async` code.
    public func finish(_ ticket: RunTicket, _ outcome: RunOutcome) async throws {
        try await database.withTransaction(retry: retry, idempotent: true) { db in try self.writeFinalStatus(ticket, outcome, db) }
    }
}
