import Foundation

/// Runs blocking `work` on a new thread of its own and awaits its result.
///
/// Swift Testing runs tests in parallel on the cooperative pool, which has one thread per core:
/// tests that block (waiting for a child process, a database, a socket) can starve it for
/// minutes on a two-core CI machine, and a loop that must keep a pace (a sample every second)
/// would then stall. Work on its own thread keeps its pace and leaves the pool free.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
