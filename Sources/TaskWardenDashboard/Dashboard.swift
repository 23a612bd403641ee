import Foundation
import Hummingbird
import TaskWardenAdmin
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The dashboard: server-rendered pages over the watched tables, mounted under `/ui/`.
///
/// Every page is a read of the maintenance library (``TaskRuns``: stats, stuck, list, show,
/// journal), the same calls the CLI and the admin API make. Access follows the admin API's
/// tokens: the read token is a viewer, the admin token an operator; a browser signs in once with
/// either and holds a signed session cookie (``DashboardSessions``), scripts may send
/// `Authorization: Bearer`. With no token configured the dashboard is not served at all (404),
/// like `/api/`: nothing of the task tables is shown to whoever can reach the port.
public struct Dashboard: AdminMount {
    public let path = "ui"
    let access: any DatabaseAccess
    /// Where confirmed changes run: a connection of their own, so that a long purge holds up
    /// neither the pages nor the watchdog sharing ``access`` (one connection, serialized);
    /// `nil`: ``access``.
    let changes: (any DatabaseAccess)?
    let tables: [AdminServer.Table]
    let tokens: AdminTokens
    let watchdogs: WatchdogBoard?
    /// Whether operators may change runs here (`watch --http`); `taskwarden serve` shows only.
    let allowsActions: Bool
    let sessions = DashboardSessions()
    let operations = DashboardOperations()
    let hourlyFinishes = HourlyFinishesCache()
    /// Runs per batch of the changes started here; `nil`: the library's default for the backend.
    var changeBatchSize: Int?
    /// Above this many rows (by the database's estimate) the overview shows estimated counts,
    /// marked `~`, instead of counting the table (``TaskRuns/estimatedCounts(exactUpTo:cap:)``).
    var exactCountLimit = 1_000_000
    /// How many runs the runs browser shows per page.
    static let pageSize = 50

    /// - Parameters:
    ///   - tables: the tables shown; a request names one with `table`, else gets the first.
    ///   - watchdogs: the board this process's watchdogs report to; `nil` where none runs
    ///     (`taskwarden serve`).
    ///   - actions: whether the action pages exist (recover, reset, cancel, delete, purge, undo);
    ///     without them the dashboard only shows.
    ///   - changes: where confirmed changes run, apart from the pages (`nil`: `access`).
    public init(
        access: any DatabaseAccess, tables: [AdminServer.Table], tokens: AdminTokens, watchdogs: WatchdogBoard?, actions: Bool = true,
        changes: (any DatabaseAccess)? = nil
    ) {
        self.access = access
        self.changes = changes
        self.tables = tables
        self.tokens = tokens
        self.watchdogs = watchdogs
        self.allowsActions = actions
    }

    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        guard !tokens.isEmpty, !tables.isEmpty else { return }
        group.get("static/dashboard.css") { _, _ in Self.asset(DashboardAssets.css, type: "text/css; charset=utf-8") }
        group.get("static/icon.svg") { _, _ in Self.asset(DashboardAssets.icon, type: "image/svg+xml") }
        group.get("static/dashboard.js") { _, _ in Self.asset(DashboardAssets.javascript, type: "text/javascript; charset=utf-8") }
        group.get("login") { request, _ in
            role(of: request) == .anonymous ? page("login", LoginPage(chrome: nil, message: nil), status: .ok) : Self.redirect("/ui/")
        }
        group.post("login") { request, _ in await signIn(request) }
        group.post("logout") { request, _ in
            guard DashboardGuard.isSameOrigin(request) else { return forbiddenCrossSite() }
            var response = Self.redirect("/ui/login")
            response.headers[.setCookie] = "\(DashboardSessions.cookieName)=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
        group.get("") { request, _ in await view(request, needs: .reader) { try await overview($0, request) } }
        group.get("stuck") { request, _ in await view(request, needs: .reader) { try await stuckPage($0, request) } }
        group.get("runs") { request, _ in await view(request, needs: .reader) { try await runsPage($0, request) } }
        group.get("run") { request, _ in await view(request, needs: .reader) { try await runPage($0, request) } }
        group.get("journal") { request, _ in await view(request, needs: .reader) { try await journalPage($0, request) } }
        group.get("retention") { request, _ in await view(request, needs: .reader) { try await retentionPage($0, request) } }
        guard allowsActions else { return }
        // One pipeline, one pair of routes per action: GET previews, POST confirms.
        for action in DashboardAction.allCases {
            group.get(RouterPath(action.rawValue)) { request, _ in await view(request, needs: .admin) { try await changePreview(action, $0, request) } }
            group.post(RouterPath(action.rawValue)) { request, _ in await change(request) { try await confirmChange(action, $0, form: $1) } }
        }
        group.get("operation") { request, _ in await view(request, needs: .reader) { try operationPage($0, request) } }
        group.post("operation/cancel") { request, _ in await change(request) { try cancelOperation($0, form: $1) } }
    }

    /// Who a request is: a bearer token first, else the session cookie.
    func role(of request: Request) -> AdminRole {
        let byToken = tokens.role(authorization: request.headers[.authorization])
        if byToken != .anonymous { return byToken }
        return sessions.role(cookie: DashboardSessions.cookie(in: request.headers[.cookie]))
    }

    /// Renders a page for a request whose role is at least `needs`: the sign-in page (401)
    /// without one, 403 below it; input errors are 400 and database errors 503, each a page.
    func view(_ request: Request, needs: AdminRole, _ body: (AdminRole) async throws -> Response) async -> Response {
        let role = role(of: request)
        guard role != .anonymous else { return page("login", LoginPage(chrome: nil, message: nil), status: .unauthorized) }
        guard role >= needs else { return failure(role, .forbidden, "Not allowed", "This needs the admin token; the read token only reads.") }
        do {
            return try await body(role)
        } catch let error as DatabaseError {
            return failure(role, .serviceUnavailable, "The database did not answer", Self.oneLine(error))
        } catch {
            return failure(role, .badRequest, "Cannot show this", Self.oneLine(error))
        }
    }

    /// Runs a state-changing request: only for the admin token, only from the dashboard's own
    /// pages (``DashboardGuard/isSameOrigin(_:)``), and, for a browser's session, only with the
    /// session's form token; then `body` with the form's fields.
    func change(_ request: Request, _ body: @escaping (AdminRole, [String: String]) async throws -> Response) async -> Response {
        guard DashboardGuard.isSameOrigin(request) else { return forbiddenCrossSite() }
        let form = (try? await request.body.collect(upTo: 65_536)).map { DashboardForm.fields(String(buffer: $0)) } ?? [:]
        return await view(request, needs: .admin) { role in
            let byToken = tokens.role(authorization: request.headers[.authorization]) != .anonymous
            if !byToken {
                let cookie = DashboardSessions.cookie(in: request.headers[.cookie]) ?? ""
                guard sessions.isFormToken(form["form_token"] ?? "", of: cookie) else {
                    return failure(role, .forbidden, "Refused", "This form's token is missing or not this session's: reload the page and try again.")
                }
            }
            return try await body(role, form)
        }
    }

    /// The form token for the session a request carries (empty for a bearer-token request,
    /// which needs none: browsers do not attach bearer tokens on their own).
    func formToken(_ request: Request) -> String {
        DashboardSessions.cookie(in: request.headers[.cookie]).map(sessions.formToken) ?? ""
    }

    private func signIn(_ request: Request) async -> Response {
        guard DashboardGuard.isSameOrigin(request) else { return forbiddenCrossSite() }
        let form = (try? await request.body.collect(upTo: 8_192)).map { String(buffer: $0) } ?? ""
        let token = DashboardForm.fields(form)["token"] ?? ""
        let role = tokens.role(authorization: "Bearer \(token)")
        guard role != .anonymous else {
            return page("login", LoginPage(chrome: nil, message: "That is neither the read nor the admin token."), status: .unauthorized)
        }
        var response = Self.redirect("/ui/")
        response.headers[.setCookie] =
            "\(DashboardSessions.cookieName)=\(sessions.issue(role)); Path=/ui; HttpOnly; SameSite=Strict; Max-Age=\(Int(DashboardSessions.lifetime))"
        return response
    }

    private func forbiddenCrossSite() -> Response {
        failure(.anonymous, .forbidden, "Refused", "This request came from another site (Sec-Fetch-Site or Origin): it is refused.")
    }

    func failure(_ role: AdminRole, _ status: HTTPResponse.Status, _ heading: String, _ message: String) -> Response {
        page("error", ErrorPage(chrome: role == .anonymous ? nil : PageChrome(role: role, table: nil, current: nil), heading: heading, message: message), status: status)
    }

    /// The watched table a request's `table` parameter names, or the first.
    func table(_ request: Request) throws -> AdminServer.Table {
        try table(named: Self.query(request)["table"])
    }

    /// The watched table `name` names, or the first.
    func table(named name: String?) throws -> AdminServer.Table {
        guard let name, !name.isEmpty else { return tables[0] }
        guard let watched = tables.first(where: { $0.table.name.description == name }) else {
            throw DashboardInputError(message: "Table '\(name)' is not shown here (\(tables.map(\.table.name.description).joined(separator: ", "))).")
        }
        return watched
    }

    /// A request's query parameters, decoded as browsers encode a GET form (`+` is a space, then
    /// percent-encoding), which Hummingbird's `queryParameters` leaves as `+`.
    static func query(_ request: Request) -> [String: String] {
        DashboardForm.fields(request.uri.query ?? "")
    }

    func withRuns<T: Sendable>(_ watched: AdminServer.Table, _ body: @escaping @Sendable (TaskRuns) throws -> T) async throws -> T {
        try await access.withTaskRuns(table: watched.table, actor: "dashboard", retry: .never, body)
    }

    /// A page rendered with `template`, with the dashboard's security headers.
    func page(_ template: String, _ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = DashboardTemplates.library.render(object, withTemplate: template) ?? ""
        var headers = DashboardGuard.headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = DashboardGuard.headers
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = DashboardGuard.headers
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
    }
}

/// A request the dashboard cannot answer: its one-line reason is shown with 400.
struct DashboardInputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
