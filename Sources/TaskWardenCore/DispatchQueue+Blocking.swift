import Dispatch

extension DispatchQueue {
    /// Runs blocking `work` on this queue and awaits its result.
    ///
    /// The C client libraries block their calling thread. Awaiting them through a dispatch
    /// queue suspends the task instead of blocking one of the cooperative pool's few threads.
    public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            self.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
