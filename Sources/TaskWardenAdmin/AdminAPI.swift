import Foundation
import Hummingbird
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The admin API the seeds built by hand, over ``TaskRuns``: stuck runs, counts, the journal,
/// and recover, reset (preview, then confirm), cancel and undo, each journaled with the caller
/// (`api:<actor>`) as actor.
struct AdminAPI: Sendable {
    let access: any DatabaseAccess
    /// The tables watched; the first is the one a request without `table` gets.
    let tables: [AdminServer.Table]
    let tokens: AdminTokens
    /// Whether the actions (recover, reset, cancel, undo) exist; `taskwarden serve` has reads only.
    var actions = true
    let previews = ResetPreviews()

    func addRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("stuck") { request, _ in
            await handle(request, needs: .reader) {
                let target = try table(request.uri.queryParameters["table"].map(String.init))
                let olderThan = try request.uri.queryParameters["older_than"].map { try Duration(parsing: String($0)) }
                let kind = request.uri.queryParameters["kind"].map(String.init)
                let policy = target.stuck.overridden(by: olderThan)
                let runs = try await withRuns(target, actor: nil) { try $0.findStuck(policy: policy, kind: kind, limit: 1_000) }
                return AdminJSON.response(StuckResponse(stuck: runs.map(StuckRunBody.init)))
            }
        }
        api.get("stats") { request, _ in
            await handle(request, needs: .reader) {
                let target = try table(request.uri.queryParameters["table"].map(String.init))
                let stats = try await withRuns(target, actor: nil) { try $0.stats(policy: target.stuck) }
                return AdminJSON.response(
                    StatsResponse(
                        counts: stats.counts.map { .init(status: $0.status?.rawValue, value: $0.value, kind: $0.kind, count: $0.count) },
                        stuck: stats.stuckCount, total: stats.total))
            }
        }
        api.get("journal") { request, _ in
            await handle(request, needs: .reader) {
                let target = try table(request.uri.queryParameters["table"].map(String.init))
                let batch = request.uri.queryParameters["batch"].map(String.init)
                let since = try request.uri.queryParameters["since"].map { try Duration(parsing: String($0)) }
                let limit = request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 100
                guard (1...TaskRuns.journalListingLimit).contains(limit) else {
                    return AdminJSON.failure(.badRequest, "limit must be between 1 and \(TaskRuns.journalListingLimit)")
                }
                let entries = try await withRuns(target, actor: nil) { runs in
                    let from = try since.map { try DatabaseClock.now(on: runs.connection).cutoff(olderThan: $0) }
                    return try runs.journal(batchID: batch, since: from, limit: limit)
                }
                return AdminJSON.response(JournalResponse(entries: entries))
            }
        }
        guard actions else { return }
        api.post("recover") { request, _ in
            await handle(request, needs: .admin) {
                let body = try await Self.decode(RecoverRequest.self, from: request)
                let watched = try table(body.table)
                let options = try AdminActions.recoverOptions(
                    for: watched, to: body.to, olderThan: body.olderThan, kind: body.kind, reason: body.reason, dryRun: body.dryRun ?? false)
                let result = try await AdminActions(access: access).recover(options, on: watched, actor: "api:\(body.actor ?? "admin")")
                return AdminJSON.response(
                    ChangeResponse(dryRun: options.dryRun, found: result.found, changed: result.changed.count, skipped: result.skipped, batch: result.batchID))
            }
        }
        api.post("reset") { request, _ in
            await handle(request, needs: .admin) {
                let body = try await Self.decode(ResetRequest.self, from: request)
                let watched = try table(body.table)
                let filter = ResetFilter(
                    statuses: try body.statuses.map(Self.status), kinds: body.kinds ?? [], ids: body.ids ?? [],
                    olderThan: try body.olderThan.map { try Duration(parsing: $0) })
                let target = try Self.status(body.to)
                guard !filter.statuses.contains(target) else { return AdminJSON.failure(.badRequest, "to is also one of statuses: nothing would change") }
                guard let token = body.confirm else {
                    let preview = try await withRuns(watched, actor: body.actor) { runs in
                        try runs.table.checkWritable(target)
                        return try runs.previewReset(filter, reason: body.reason)
                    }
                    return AdminJSON.response(
                        ResetPreviewResponse(
                            count: preview.count, sample: preview.sample.map(\.id.plainText),
                            confirm: await previews.issue(for: body.canonical), expiresInSeconds: Int(ResetPreviews.lifetime.components.seconds)))
                }
                guard await previews.redeem(token, for: body.canonical) else {
                    return AdminJSON.failure(.conflict, "confirm is not the token of a preview of this same request in the last 5 minutes: preview again")
                }
                let result = try await AdminActions(access: access).apply(
                    .reset(filter, to: target), reason: body.reason, on: watched, actor: "api:\(body.actor ?? "admin")")
                return AdminJSON.response(
                    ChangeResponse(dryRun: false, found: nil, changed: result.changed, skipped: result.skipped, batch: result.batchID))
            }
        }
        api.post("cancel") { request, _ in
            await handle(request, needs: .admin) {
                let body = try await Self.decode(CancelRequest.self, from: request)
                let result = try await AdminActions(access: access).apply(
                    .cancel(ids: body.ids ?? [], kinds: body.kinds ?? []), reason: body.reason, on: try table(body.table),
                    actor: "api:\(body.actor ?? "admin")")
                return AdminJSON.response(ChangeResponse(dryRun: false, found: nil, changed: result.changed, skipped: 0, batch: result.batchID))
            }
        }
        api.post("undo") { request, _ in
            await handle(request, needs: .admin) {
                let body = try await Self.decode(UndoRequest.self, from: request)
                let result = try await withRuns(try table(body.table), actor: body.actor) { try $0.undo(batchID: body.batch, dryRun: body.dryRun ?? false) }
                return AdminJSON.response(
                    ChangeResponse(
                        dryRun: result.dryRun, found: nil, changed: result.restored.count, skipped: result.skipped.count, batch: result.batchID))
            }
        }
    }

    /// Runs `body` for a request whose token has at least `role`: 401 without a valid token,
    /// 403 with the read token where the admin token is needed; input errors are 400, database
    /// errors 503.
    private func handle(_ request: Request, needs role: AdminRole, _ body: () async throws -> Response) async -> Response {
        let given = tokens.role(authorization: request.headers[.authorization])
        guard given != .anonymous else { return AdminJSON.failure(.unauthorized, "a bearer token is required (Authorization: Bearer TOKEN)") }
        guard given >= role else { return AdminJSON.failure(.forbidden, "this action needs the admin token; the read token only reads") }
        do {
            return try await body()
        } catch let error as DatabaseError {
            return AdminJSON.failure(.serviceUnavailable, AdminJSON.oneLine(error))
        } catch {
            return AdminJSON.failure(.badRequest, AdminJSON.oneLine(error))
        }
    }

    private func withRuns<T: Sendable>(
        _ watched: AdminServer.Table, actor: String?, _ body: @escaping @Sendable (TaskRuns) throws -> T
    ) async throws -> T {
        try await access.withTaskRuns(table: watched.table, actor: "api:\(actor ?? "admin")", retry: .never, body)
    }

    /// The watched table `name` names (its name as in the configuration), or the first.
    private func table(_ name: String?) throws -> AdminServer.Table {
        guard let name else { return tables[0] }
        guard let watched = tables.first(where: { $0.table.name.description == name }) else {
            throw AdminRequestError(message: "table '\(name)' is not watched here (\(tables.map(\.table.name.description).joined(separator: ", ")))")
        }
        return watched
    }

    private static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1_048_576)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw AdminRequestError(message: "the body is not a valid \(T.self) JSON object: \(AdminJSON.oneLine(error))")
        }
    }

    private static func status(_ text: String) throws -> TaskStatus {
        try AdminActions.status(text)
    }
}

/// A request the API cannot take: its one-line reason goes back with 400.
struct AdminRequestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
