import Dispatch
import Foundation
import TaskWarden

/// Handles SIGINT and SIGTERM for commands that must not stop half-way.
///
/// Migrations release their lock, then exit: a session lock would be released anyway when the
/// process dies and its connection closes, but a lease would linger until it expires and hold
/// up the next deploy. Purges finish the batch in flight and stop between batches; a second
/// signal exits at once. The exit code is 128 + the signal number, as shells report it.
final class SignalTrap: @unchecked Sendable {
    /// What a signal does.
    enum Mode {
        /// Release the lock being held, then exit.
        case releaseLockAndExit
        /// Ask the work to stop between batches; exit at once on a second signal.
        case stopBetweenBatches
    }

    private let mutex = NSLock()
    private var lock: (any DatabaseLock)?
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    init(_ mode: Mode = .releaseLockAndExit) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let (held, earlier) = mutex.withLock { () -> ((any DatabaseLock)?, Int32?) in
                    defer { received = received ?? signalNumber }
                    return (lock, received)
                }
                if mode == .stopBetweenBatches && earlier == nil {
                    FileHandle.standardError.write(Data("taskwarden: signal \(signalNumber): stopping after the current batch (again to stop now)\n".utf8))
                    return
                }
                held?.release()
                FileHandle.standardError.write(Data("taskwarden: interrupted by signal \(signalNumber)\(held == nil ? "" : "; lock released")\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Remembers the lock to release.
    func hold(_ lock: any DatabaseLock) {
        mutex.withLock { self.lock = lock }
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? { mutex.withLock { received } }
}
