import Foundation
import TaskWardenCore

/// What a run's closure can do while it works.
public struct RunContext: Sendable {
    public let ticket: RunTicket
    let lifecycle: RunLifecycle

    /// Reports progress now (the background heartbeat keeps going too).
    public func heartbeat(progress: Double? = nil) async throws {
        let lifecycle = self.lifecycle
        let ticket = self.ticket
        try await onThread { try lifecycle.heartbeat(ticket, progress: progress) }
    }

    /// Whether someone asked the run to stop.
    public func isCancelRequested() async throws -> Bool {
        let lifecycle = self.lifecycle
        let ticket = self.ticket
        return try await onThread { try lifecycle.isCancelRequested(ticket) }
    }

    /// Throws ``RunCancelled`` when someone asked the run to stop: call it between steps.
    public func checkCancellation() async throws {
        if try await isCancelRequested() { throw RunCancelled() }
    }
}

/// Thrown by ``RunContext/checkCancellation()``; the run is then finished as cancelled.
///
/// Your own code may throw it too (a cancellation signal of its own, a shutdown):
/// ``RunLifecycle/run(_:heartbeatEvery:_:)`` finishes the run as cancelled either way.
public struct RunCancelled: Error, Sendable {
    public init() {}
}

extension RunLifecycle {
    /// Runs `body` as run `id`: starts it, heartbeats every `heartbeatEvery` in the background,
    /// and finishes it as succeeded when `body` returns, cancelled when it throws
    /// ``RunCancelled`` or `CancellationError`, and failed (with the error) when it throws
    /// anything else, which is then rethrown.
    ///
    /// The blocking database calls run on dispatch threads, never on Swift's cooperative
    /// pool. If the run is taken away meanwhile (recovered, reset), the heartbeat stops and
    /// the final `finish` throws ``RunLost``.
    public func run<T: Sendable>(
        _ id: DatabaseValue, heartbeatEvery: Duration = .seconds(10), _ body: @Sendable (RunContext) async throws -> T
    ) async throws -> T {
        let lifecycle = self
        let ticket = try await onThread { try lifecycle.start(id) }
        let context = RunContext(ticket: ticket, lifecycle: self)
        let heartbeat = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatEvery)
                if Task.isCancelled { return }
                do {
                    try await onThread { try lifecycle.heartbeat(ticket) }
                } catch is RunLost {
                    return
                } catch {
                    continue  // A missed heartbeat is not yet a stuck run; the next one may land.
                }
            }
        }
        defer { heartbeat.cancel() }
        let value: T
        do {
            value = try await body(context)
        } catch is RunCancelled {
            try await onThread { try lifecycle.finish(ticket, .cancelled(reason: "cancel requested")) }
            throw RunCancelled()
        } catch is CancellationError {
            try await onThread { try lifecycle.finish(ticket, .cancelled(reason: "task cancelled")) }
            throw CancellationError()
        } catch {
            let message = String(describing: error)
            try await onThread { try lifecycle.finish(ticket, .failed(error: message)) }
            throw error
        }
        heartbeat.cancel()
        try await onThread { try lifecycle.finish(ticket, .succeeded(message: nil)) }
        return value
    }
}

/// Runs blocking database work on a dispatch thread, so the cooperative pool stays free.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await DispatchQueue.global().runBlocking(work)
}
