import TaskWardenCore

/// What a run's closure can do while it works.
public struct RunContext: Sendable {
    public let ticket: RunTicket
    let lifecycle: RunLifecycle

    /// Reports progress now (the background heartbeat keeps going too).
    public func heartbeat(progress: Double? = nil) async throws {
        try await lifecycle.heartbeat(ticket, progress: progress)
    }

    /// Whether someone asked the run to stop.
    public func isCancelRequested() async throws -> Bool {
        try await lifecycle.isCancelRequested(ticket)
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
    /// Runs `body` as run `id`: starts it, heartbeats every `heartbeatEvery` alongside, and
    /// finishes it as succeeded when `body` returns, cancelled when it throws ``RunCancelled``
    /// or `CancellationError`, and failed (with the error) when it throws anything else, which
    /// is then rethrown.
    ///
    /// `body` and the heartbeat are two child tasks of the call. When the heartbeat finds the
    /// run taken away (recovered, reset), `body`'s task is cancelled, so that the work stops
    /// instead of running on for a result nobody will accept, and `run` throws ``RunLost``
    /// once `body` has returned. Cancelling the task that called `run` cancels `body` too; the
    /// run is then still finished as cancelled, since a run left `running` would wait for
    /// stuck detection.
    ///
    /// The error `body` threw is the one `run` throws: when `finish` fails after it (the
    /// connection is gone, the run was taken away), that failure is logged to ``logger``,
    /// never thrown in its place.
    public func run<T: Sendable>(
        _ id: DatabaseValue, heartbeatEvery: Duration = .seconds(10), _ body: @Sendable (RunContext) async throws -> T
    ) async throws -> T {
        let ticket = try await start(id)
        let context = RunContext(ticket: ticket, lifecycle: self)
        let (result, lost) = await withoutActuallyEscaping(body) { body in
            await withTaskGroup(of: RunEvent<T>.self) { group in
                group.addTask {
                    do {
                        return .finished(.success(try await body(context)))
                    } catch {
                        return .finished(.failure(error))
                    }
                }
                group.addTask { await self.heartbeatUntilLost(ticket, every: heartbeatEvery) }
                var result: Result<T, any Error>?
                var lost: RunLost?
                for await event in group {
                    switch event {
                    case .finished(let finished):
                        result = finished
                        group.cancelAll()  // The heartbeat has nothing left to keep alive.
                    case .lost(let runLost):
                        lost = runLost
                        group.cancelAll()  // The work's result would not land: stop it.
                    case .heartbeatEnded:
                        break
                    }
                }
                return (result!, lost)
            }
        }
        if let lost { throw lost }
        return try await finish(ticket, after: result)
    }

    /// Sends a heartbeat every `interval` until the task is cancelled (`.heartbeatEnded`) or
    /// the run is found taken away (`.lost`). A heartbeat that fails otherwise is not yet a
    /// stuck run: the next one may land.
    private func heartbeatUntilLost<T>(_ ticket: RunTicket, every interval: Duration) async -> RunEvent<T> {
        while true {
            do {
                try await Task.sleep(for: interval)
                try await heartbeat(ticket)
            } catch let lost as RunLost {
                return .lost(lost)
            } catch {
                if Task.isCancelled { return .heartbeatEnded }
            }
        }
    }

    /// Writes the final status `result` calls for, and returns or rethrows `result`.
    ///
    /// The write runs in a task of its own, which does not inherit the caller's cancellation:
    /// a run whose work was cancelled is still finished (as cancelled).
    private func finish<T: Sendable>(_ ticket: RunTicket, after result: Result<T, any Error>) async throws -> T {
        let outcome: RunOutcome
        let workError: any Error
        switch result {
        case .success(let value):
            try await Task { try await self.finish(ticket, .succeeded(message: nil)) }.value
            return value
        case .failure(let error):
            workError = error
            switch error {
            case is RunCancelled: outcome = .cancelled(reason: "cancel requested")
            case is CancellationError: outcome = .cancelled(reason: "task cancelled")
            default: outcome = .failed(error: String(describing: error))
            }
        }
        do {
            try await Task { try await self.finish(ticket, outcome) }.value
        } catch {
            logger.error(
                "the run's final status did not land; the work's own error is the one reported",
                metadata: ["run": "\(ticket.id)", "outcome": "\(outcome.status)", "finish_error": "\(error)", "work_error": "\(workError)"])
        }
        throw workError
    }
}

/// What ends one of ``RunLifecycle/run(_:heartbeatEvery:_:)``'s child tasks.
private enum RunEvent<T: Sendable>: Sendable {
    /// The work returned or threw.
    case finished(Result<T, any Error>)
    /// The heartbeat found the run taken away.
    case lost(RunLost)
    /// The heartbeat was cancelled.
    case heartbeatEnded
}
