import Foundation
import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// The changes the admin server makes, as one set of calls that `/api/` and the dashboard both
/// go through: a change has one implementation, whichever door it came in by.
///
/// Each is the CLI command's library call (``TaskRuns/recover(_:bulk:)``, ...), journaled with
/// the actor given; the doors add only what is theirs (JSON bodies and tokens for the API,
/// forms, typed confirmations and CSRF checks for the dashboard).
public struct AdminActions: Sendable {
    let access: any DatabaseAccess

    public init(access: any DatabaseAccess) {
        self.access = access
    }

    /// The options of a recover as `POST /api/recover` takes them: thresholds from the table's
    /// configuration unless `olderThan` overrides them; the target is `to`, else failed (or
    /// cancelled where the table has no failed).
    ///
    /// - Throws: ``AdminRequestError`` for an unknown status, `DurationParseError` for a bad
    ///   duration.
    public static func recoverOptions(
        for watched: AdminServer.Table, to: String?, olderThan: String?, kind: String?, reason: String?, dryRun: Bool = false, limit: Int? = nil
    ) throws -> RecoverOptions {
        let target = try to.map(status) ?? (watched.table.lacks(.failed) ? .cancelled : .failed)
        return RecoverOptions(
            policy: watched.stuck.overridden(by: try olderThan.map { try Duration(parsing: $0) }), kind: kind, target: target, reason: reason,
            dryRun: dryRun, limit: limit)
    }

    /// Recovers the stuck runs `options` select, journaled as `actor`; `bulk` reports progress
    /// and can stop it between batches.
    public func recover(
        _ options: RecoverOptions, on watched: AdminServer.Table, actor: String, bulk: BulkOptions = BulkOptions()
    ) async throws -> RecoveryResult {
        try await access.withTaskRuns(table: watched.table, actor: actor, retry: .never) { try $0.recover(options, bulk: bulk) }
    }

    static func status(_ text: String) throws -> TaskStatus {
        guard let status = TaskStatus(rawValue: text) else {
            throw AdminRequestError(message: "unknown status '\(text)' (queued, running, succeeded, failed, cancelled)")
        }
        return status
    }
}
