import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The watchdog's HTTP server (Hummingbird): Prometheus metrics, health, and the admin API.
///
/// `GET /metrics`, `/healthz` (the process is alive) and `/readyz` (the database answers) are
/// open, for scrapers and probes. The admin API under `/api/` exists only when a token is
/// configured (``AdminTokens``): reads take the read or the admin token, actions the admin
/// token; without one, `/api/` answers 404 as if it were not there. The API is described in
/// `docs/openapi.yaml`. Other route sets (the dashboard, under `/ui/`) are mounted beside it
/// as ``AdminMount``s; with `actions: false` (`taskwarden serve`) the API answers reads only.
public struct AdminServer: Sendable {
    /// Where the server listens.
    public var host: String
    public var port: Int
    let api: AdminAPI
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let mounts: [any AdminMount]

    /// - Parameters:
    ///   - access: the database the API reads and changes (the watchdog's own).
    ///   - tables: the tables watched; requests name one with `table`, else get the first.
    ///   - registry: the Prometheus registry the process bootstrapped swift-metrics with.
    public init(
        host: String, port: Int, access: any DatabaseAccess, tables: [Table], tokens: AdminTokens, registry: PrometheusCollectorRegistry,
        logger: Logger, actions: Bool = true, mounts: [any AdminMount] = []
    ) {
        self.host = host
        self.port = port
        self.api = AdminAPI(access: access, tables: tables, tokens: tokens, actions: actions)
        self.registry = registry
        self.logger = logger
        self.mounts = mounts
    }

    /// The server as a swift-service-lifecycle `Service`, for the process's `ServiceGroup`.
    /// A table the API serves: its mapping, columns filled, the thresholds `GET /api/stuck`
    /// and `POST /api/recover` use by default, and its retention.
    public struct Table: Sendable {
        public let table: TaskTable
        public let stuck: StuckPolicy
        /// The configuration's retention: the dashboard's purge backlog.
        public let retention: RetentionPolicy
        public init(table: TaskTable, stuck: StuckPolicy, retention: RetentionPolicy = RetentionPolicy()) {
            self.table = table
            self.stuck = stuck
            self.retention = retention
        }
    }

    public func service() -> any Service {
        Application(router: router(), configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "taskwarden"), logger: logger)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let registry = self.registry
        let access = api.access
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/healthz") { _, _ in AdminJSON.response(["ok": true]) }
        router.get("/readyz") { _, _ in
            do {
                try await access.withConnection(retry: .never) { try $0.ping() }
                return AdminJSON.response(["ok": true])
            } catch {
                return AdminJSON.failure(.serviceUnavailable, "the database does not answer: \(AdminJSON.oneLine(error))")
            }
        }
        if !api.tokens.isEmpty { api.addRoutes(to: router.group("api")) }
        for mount in mounts { mount.addRoutes(to: router.group(RouterPath(mount.path))) }
        return router
    }
}
