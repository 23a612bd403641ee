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

    static func open(_ globals: GlobalOptions, logger: Logger) throws -> DatabaseSession {
        let (url, source) = try globals.resolveDatabaseURL()
        logger.debug("connecting", metadata: ["url": "\(url.redacted)", "source": "\(source)"])
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let connection = try Database.connect(url)
            return DatabaseSession(url: url, source: source, connection: connection, connectDuration: clock.now - start)
        } catch let error as DatabaseURLError {
            throw error
        } catch {
            throw ConnectFailure(url: url, underlying: error)
        }
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
