import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TaskWarden
import TaskWardenAdmin
import TaskWardenDashboard

/// `taskwarden watch`: the watchdog service: recovers stuck runs every cycle and purges when
/// due, on one replica at a time, until SIGTERM or SIGINT.
struct WatchCommand: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watchdog service: recover stuck runs every cycle, purge when due, once across replicas.",
        discussion: """
            Every replica runs the loop; the one holding the table's lease (a row in taskwarden_locks) \
            acts, the others stay idle and say so. A replica takes over at most --lease after the \
            leader died or was cut off, and a deposed leader's batches are refused (fencing). \
            Thresholds and retention come from the configuration unless given here; give --config \
            once per table to watch several. SIGTERM or SIGINT finish the batch in flight, release \
            the lease and exit 0.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Configuration file of a table to watch, with its thresholds and retention (repeatable; default: ./taskwarden.yaml if present).",
            valueName: "path"))
    var configs: [String] = []

    @Option(help: ArgumentHelp("Who is recorded in the journal (default: this replica: host, pid and a random suffix).", valueName: "name"))
    var actor: String?

    @Option(help: ArgumentHelp("Give up when a lock is not granted within this long.", valueName: "duration"))
    var lockWait: Duration = .seconds(10)

    @Option(help: ArgumentHelp("Time between cycles (default: the configuration's watch.every, else 60s).", valueName: "duration"))
    var every: Duration?

    @Option(help: ArgumentHelp("Threshold for every kind (default: the configuration's, else 30m).", valueName: "duration"))
    var stuckAfter: Duration?

    @Option(
        help: ArgumentHelp(
            "What stuck runs become (default: watch.recover_to, else failed, or cancelled where the table has no failed).", valueName: "status"))
    var recoverTo: TargetStatus?

    @Option(
        help: ArgumentHelp("Purge this often, with the configuration's retention (default: watch.purge_every, else 1h when it sets one).", valueName: "duration"))
    var purgeEvery: Duration?

    @Option(
        help: ArgumentHelp(
            "How long the leader's lease lasts without a heartbeat: the longest a takeover waits (default: watch.lease, else 30s).", valueName: "duration"))
    var lease: Duration?

    @Option(
        help: ArgumentHelp(
            "Serve /metrics, /healthz, /readyz and, with a token, the admin API and the dashboard (/ui/) on this address (e.g. 127.0.0.1:9464).",
            valueName: "host:port"))
    var http: HTTPAddress?

    @Option(help: ArgumentHelp("File holding the admin API's admin token (else $TASKWARDEN_ADMIN_TOKEN).", valueName: "path"))
    var adminTokenFile: String?

    @Option(help: ArgumentHelp("File holding the admin API's read-only token (else $TASKWARDEN_READ_TOKEN).", valueName: "path"))
    var readTokenFile: String?

    func validate() throws {
        try every.requirePositive("--every")
        try stuckAfter.requirePositive("--stuck-after")
        try purgeEvery.requirePositive("--purge-every")
        if let lease, lease < .seconds(1) { throw ValidationError("--lease must be at least 1s") }
        try Optional(lockWait).requirePositive("--lock-wait")
    }

    func run() async throws {
        let configurations = try configs.isEmpty ? [TaskWardenConfiguration.load(path: nil)] : configs.map { try TaskWardenConfiguration.load(path: $0) }
        let logger = globals.makeLogger(label: "taskwarden.watch")
        let session = try DatabaseSession.open(globals, logger: logger, waitFor: .seconds(365 * 24 * 3_600), lockWait: lockWait)
        defer { session.database.close() }
        let connectURL = session.connectURL
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var watched: [AdminServer.Table] = []
        let board = WatchdogBoard()
        for configuration in configurations {
            let mapped = try await session.database.withConnection(retry: .never) { try configuration.table.fillingColumnsByName(on: $0) }
            guard !watched.contains(where: { $0.table.name == mapped.name }) else {
                throw ValidationError("table \(mapped.name) is named by two --config files: watch each table once")
            }
            let settings = configuration.watch
            var options = WatchOptions(stuck: configuration.stuck.overridden(by: stuckAfter))
            options.interval = every ?? settings.every ?? options.interval
            options.leaseDuration = lease ?? settings.lease ?? options.leaseDuration
            guard options.leaseDuration >= .seconds(1) else {
                throw ConfigurationError(path: configuration.source ?? "", message: "'watch.lease' must be at least 1s")
            }
            options.recoverTo = recoverTo?.status ?? settings.recoverTo ?? (mapped.lacks(.failed) ? .cancelled : .failed)
            options.retention = configuration.retention
            options.actor = actor
            options.purgeInterval = purgeEvery ?? settings.purgeEvery ?? (configuration.retention.isEmpty ? nil : .seconds(3_600))
            try mapped.checkWritable(options.recoverTo)
            let leadership = WatchLeadership(table: mapped.name.description, leaseDuration: options.leaseDuration, logger: logger) {
                try DatabaseDrivers.connect(connectURL)
            }
            logger.info(
                "watching",
                metadata: [
                    "table": "\(mapped.name)", "every": "\(options.interval.compactText)", "lease": "\(options.leaseDuration.compactText)",
                    "owner": "\(leadership.owner)",
                ])
            let name = mapped.name.description
            services.append(
                .init(
                    service: Watchdog(
                        access: session.database, table: mapped, options: options, leadership: leadership, logger: logger,
                        onCycle: { board.record(table: name, $0) })))
            watched.append(AdminServer.Table(table: mapped, stuck: options.stuck, retention: configuration.retention))
        }
        if let http {
            let tokens = AdminTokens(
                admin: try AdminTokens.load(file: adminTokenFile, variable: "TASKWARDEN_ADMIN_TOKEN"),
                reader: try AdminTokens.load(file: readTokenFile, variable: "TASKWARDEN_READ_TOKEN"))
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            // The dashboard's changes get a connection of their own: a long purge started there
            // must hold up neither the watchdog nor the pages, which share the session's one.
            let changes = tokens.isEmpty ? nil : try await DatabaseDrivers.queue(session.connectURL, logger: logger)
            let dashboard = Dashboard(access: session.database, tables: watched, tokens: tokens, watchdogs: board, changes: changes)
            let server = AdminServer(
                host: http.host, port: http.port, access: session.database, tables: watched, tokens: tokens, registry: registry, logger: logger,
                mounts: [dashboard])
            logger.info(
                "serving",
                metadata: [
                    "address": "\(http.host):\(http.port)", "admin_api": "\(tokens.isEmpty ? "off (no token)" : "on")",
                    "dashboard": "\(tokens.isEmpty ? "off (no token)" : "/ui/")",
                ])
            services.append(.init(service: server.service()))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `--http HOST:PORT`: where the watchdog's HTTP server listens (`[::1]:9464` for IPv6; a
/// port alone: loopback).
struct HTTPAddress: ExpressibleByArgument {
    let host: String
    let port: Int

    /// A port alone (`9464` or `:9464`) listens on loopback only.
    init?(argument: String) {
        let colon = argument.lastIndex(of: ":")
        let portText = colon.map { argument[argument.index(after: $0)...] } ?? argument[...]
        guard let port = Int(portText), (0...65_535).contains(port) else { return nil }
        var host = colon.map { String(argument[..<$0]) } ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }
}
