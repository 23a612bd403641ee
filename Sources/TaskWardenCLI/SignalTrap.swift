import Dispatch
import Foundation
import TaskWarden

/// Releases the lock a command holds when SIGINT or SIGTERM arrives, then exits.
///
/// A session lock would be released anyway when the process dies and its connection closes;
/// a lease would linger until it expires and hold up the next deploy. Releasing first makes both
/// immediate. The exit code is 128 + the signal number, as shells report it.
final class SignalTrap: @unchecked Sendable {
    private let mutex = NSLock()
    private var lock: (any DatabaseLock)?
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let held = mutex.withLock { lock }
                held?.release()
                FileHandle.standardError.write(Data("taskwarden: interrupted by signal \(signalNumber); lock released\n".utf8))
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
}
