import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden ping`: connects, and reports the server and how long a round trip takes.
struct PingCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Connect to the database and report its backend, version and round-trip latency.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Round trips to time; the median is reported.")
    var count = 3

    func validate() throws {
        guard (1...1_000).contains(count) else { throw ValidationError("--count must be between 1 and 1000") }
    }

    func run() throws {
        let logger = globals.makeLogger()
        let session = try DatabaseSession.open(globals, logger: logger)
        defer { session.database.close() }
        let report = try session.withConnection { connection in
            let clock = ContinuousClock()
            var roundTrips: [Duration] = []
            for _ in 0..<count {
                let start = clock.now
                try connection.ping()
                roundTrips.append(clock.now - start)
            }
            return PingReport(
                backend: connection.backend.rawValue,
                server: connection.dialect.description,
                serverVersion: connection.serverVersion,
                url: session.url.redacted,
                urlSource: session.source.description,
                connectMilliseconds: session.connectDuration.milliseconds,
                roundTripMilliseconds: roundTrips.sorted()[roundTrips.count / 2].milliseconds)
        }
        if globals.json {
            JSONOutput.print(report)
        } else {
            print(report.humanReadable)
        }
    }
}

/// What `ping` found.
struct PingReport: Encodable {
    let ok = true
    let backend: String
    let server: String
    let serverVersion: String
    let url: String
    let urlSource: String
    let connectMilliseconds: Double
    let roundTripMilliseconds: Double

    var humanReadable: String {
        """
        ok: \(server) \(serverVersion)
        url:        \(url) (from \(urlSource))
        connect:    \(String(format: "%.2f", connectMilliseconds)) ms
        round trip: \(String(format: "%.2f", roundTripMilliseconds)) ms
        """
    }
}
