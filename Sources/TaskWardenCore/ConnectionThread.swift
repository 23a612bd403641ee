import Foundation

/// A thread of its own that runs blocking database work, one closure at a time.
///
/// The C client libraries block the calling thread for as long as the server takes. Swift's
/// cooperative pool has one thread per core, and Dispatch's global queues grow threads without
/// a useful bound when their work blocks; so each connection slot of a ``ConnectionPool`` owns
/// one of these, and `async` callers hand their closure over and are suspended until it ran.
final class ConnectionThread: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []
    /// Guarded by `condition`.
    private var stopping = false
    /// Guarded by `condition`: `Thread.start()` has returned.
    private var started = false

    /// - Parameter name: the thread's name in debuggers and `top -H`; Linux keeps 15 bytes of it.
    init(name: String) {
        let thread = Thread { [self] in
            // Named from the thread itself, once `start()` has returned: on Linux, Foundation
            // neither applies a name set before `start()` nor one set before `start()` has
            // recorded the new thread, and the thread would keep its creator's name.
            condition.withLock { while !started { condition.wait() } }
            Thread.current.name = name
            self.serve()
        }
        thread.start()
        condition.withLock {
            started = true
            condition.broadcast()
        }
    }

    /// Runs `work` on this thread and returns its result, the calling task suspended meanwhile.
    ///
    /// `work` does not escape: the task waits until it ran, and the thread lets go of it before
    /// resuming the task.
    func run<T: Sendable>(_ work: () -> T) async -> T {
        await withoutActuallyEscaping(work) { work in
            let handOver = HandOver(work)
            return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
                submit { continuation.resume(returning: handOver.run()) }
            }
        }
    }

    /// Lets the thread end once the work already submitted has run.
    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    /// Runs `job` on this thread after the work already submitted; does not wait for it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func serve() {
        while true {
            let job: (@Sendable () -> Void)? = condition.withLock {
                while jobs.isEmpty && !stopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let job else { return }
            job()
        }
    }
}

/// Carries a closure that does not escape to the thread that runs it, once.
///
/// `@unchecked Sendable` because the closure is not: the task that owns it is suspended until
/// it has run, so it is never used from two threads at once.
private final class HandOver<T>: @unchecked Sendable {
    private var work: (() -> T)?

    init(_ work: @escaping () -> T) { self.work = work }

    /// Runs the closure and drops it before returning, so that `withoutActuallyEscaping` finds
    /// it released when the task resumes.
    func run() -> T {
        let work = self.work!
        self.work = nil
        return work()
    }
}
