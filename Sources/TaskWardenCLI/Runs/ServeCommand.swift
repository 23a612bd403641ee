import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TaskWarden
import TaskWardenAdmin
import TaskWardenDashboard

/// `taskwarden serve`: the dashboard and the admin API's reads, for machines that run no
/// watchdog; it changes nothing.
struct ServeCommand: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard (/ui/) and the admin API's reads, read-only, without the watchdog.",
        discussion: """
            Pages and reads need the read or the admin token (files, else $TASKWARDEN_READ_TOKEN and \
            $TASKWARDEN_ADMIN_TOKEN); serve refuses to start with neither, since it would show the task \
            tables to whoever reaches the port. Nothing is recovered, purged or changed: the admin API's \
            actions do not exist here. SIGTERM or SIGINT stop it.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("Configuration file of a table to show (repeatable; default: ./taskwarden.yaml if present).", valueName: "path"))
    var configs: [String] = []

    @Option(help: ArgumentHelp("Where to listen, e.g. 127.0.0.1:9465 (a port alone: loopback).", valueName: "host:port"))
    var http: HTTPAddress

    @Option(help: ArgumentHelp("File holding the admin token (else $TASKWARDEN_ADMIN_TOKEN).", valueName: "path"))
    var adminTokenFile: String?

    @Option(help: ArgumentHelp("File holding the read-only token (else $TASKWARDEN_READ_TOKEN).", valueName: "path"))
    var readTokenFile: String?

    func run() async throws {
        let tokens = AdminTokens(
            admin: try AdminTokens.load(file: adminTokenFile, variable: "TASKWARDEN_ADMIN_TOKEN"),
            reader: try AdminTokens.load(file: readTokenFile, variable: "TASKWARDEN_READ_TOKEN"))
        guard !tokens.isEmpty else {
            throw ValidationError(
                "serve needs a token: --read-token-file or $TASKWARDEN_READ_TOKEN (viewers), --admin-token-file or $TASKWARDEN_ADMIN_TOKEN")
        }
        let configurations = try configs.isEmpty ? [TaskWardenConfiguration.load(path: nil)] : configs.map { try TaskWardenConfiguration.load(path: $0) }
        let logger = globals.makeLogger(label: "taskwarden.serve")
        let session = try DatabaseSession.open(globals, logger: logger)
        defer { session.database.close() }
        var shown: [AdminServer.Table] = []
        for configuration in configurations {
            let mapped = try await session.database.withConnection(retry: .never) { try configuration.table.fillingColumnsByName(on: $0) }
            guard !shown.contains(where: { $0.table.name == mapped.name }) else {
                throw ValidationError("table \(mapped.name) is named by two --config files: name each table once")
            }
            shown.append(AdminServer.Table(table: mapped, stuck: configuration.stuck, retention: configuration.retention))
        }
        let registry = PrometheusCollectorRegistry()
        let dashboard = Dashboard(access: session.database, tables: shown, tokens: tokens, watchdogs: nil, actions: false)
        let server = AdminServer(
            host: http.host, port: http.port, access: session.database, tables: shown, tokens: tokens, registry: registry, logger: logger,
            actions: false, mounts: [dashboard])
        logger.info("serving", metadata: ["address": "\(http.host):\(http.port)", "dashboard": "/ui/", "admin_api": "reads only"])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: server.service())], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
