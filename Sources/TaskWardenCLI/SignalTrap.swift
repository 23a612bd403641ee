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
    /// The session whose statement to cancel before exiting (a MySQL migration's).
    private var sessionToCancel: Int64?
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    init(_ mode: Mode = .releaseLockAndExit) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let (held, session, earlier) = mutex.withLock { () -> ((any DatabaseLock)?, Int64?, Int32?) in
                    defer { received = received ?? signalNumber }
                    return (lock, sessionToCancel, received)
                }
                if mode == .stopBetweenBatches && earlier == nil {
                    FileHandle.standardError.write(Data("taskwarden: signal \(signalNumber): stopping after the current batch (again to stop now)\n".utf8))
                    return
                }
                Self.exiting.set(signalNumber)
                // The statement first, through the lock's session: a MySQL server goes on
                // running a statement whose client is gone.
                let cancelled = session.map { held?.cancelStatement(ofSession: $0) == true } ?? false
                held?.release()
                let what = (cancelled ? "; running statement cancelled" : "") + (held == nil ? "" : "; lock released")
                FileHandle.standardError.write(Data("taskwarden: interrupted by signal \(signalNumber)\(what)\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Remembers the lock to release, and the session whose running statement to cancel first.
    func hold(_ lock: any DatabaseLock, cancellingStatementOf session: Int64? = nil) {
        mutex.withLock {
            self.lock = lock
            sessionToCancel = session
        }
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? { mutex.withLock { received } }

    /// The signal whose handler is cleaning up and will exit the process, if any.
    ///
    /// Cancelling a migration's statement makes the main thread fail at once ("query execution
    /// was interrupted"); its error must not race the handler's exit with another exit code.
    static var exitingOnSignal: Int32? { exiting.value }

    private static let exiting = SignalNumberBox()
}

/// A signal number shared between a signal handler's queue and the main thread.
private final class SignalNumberBox: @unchecked Sendable {
    private let lock = NSLock()
    private var number: Int32?

    var value: Int32? { lock.withLock { number } }

    func set(_ signalNumber: Int32) { lock.withLock { number = number ?? signalNumber } }
}
