import Foundation
import Logging
import TaskWarden

/// Opens the database a command works on, reporting failures as ``ConnectFailure``.
struct DatabaseSession {
    let url: DatabaseURL
    let source: DatabaseURL.Source
    let connection: any DatabaseConnection
    /// How long connecting took.
    let connectDuration: Duration

    /// Connects, retrying lost or refused connections until `waitFor` has passed.
    ///
    /// Deploys often start before the database accepts connections; `--wait-for-database`
    /// covers that without a shell loop. Authentication failures and bad URLs are not retried.
    /// Waits follow ``RetryPolicy``'s rule: from 250 ms, doubling up to 2 s, with jitter.
    static func open(_ globals: GlobalOptions, logger: Logger, waitFor: Duration? = nil) throws -> DatabaseSession {
        let (url, source) = try globals.resolveDatabaseURL()
        logger.debug("connecting", metadata: ["url": "\(url.redacted)", "source": "\(source)"])
        let clock = ContinuousClock()
        let start = clock.now
        let policy = RetryPolicy(maxAttempts: .max, maxTotalTime: waitFor ?? .zero, initialDelay: .milliseconds(250), maxDelay: .seconds(2))
        var attempt = 1
        while true {
            do {
                let connection = try Database.connect(url)
                return DatabaseSession(url: url, source: source, connection: connection, connectDuration: clock.now - start)
            } catch let error as DatabaseURLError {
                throw error
            } catch let error as DatabaseError {
                guard let delay = policy.delay(after: error, attempt: attempt, elapsed: clock.now - start) else {
                    throw ConnectFailure(url: url, underlying: error)
                }
                attempt += 1
                logger.warning(
                    "database not reachable yet; retrying",
                    metadata: ["url": "\(url.redacted)", "error": "\(error.message.oneLine)", "retry_in_s": "\(delay.seconds)"])
                Thread.sleep(forTimeInterval: delay.seconds)
            } catch {
                throw ConnectFailure(url: url, underlying: error)
            }
        }
    }

    /// A second connection to the same database, for locks that need a session of their own.
    func openAnother() throws -> any DatabaseConnection {
        try Database.connect(url)
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double { seconds * 1_000 }
}
