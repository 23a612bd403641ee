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

    /// What a recover would do, changing nothing: the count, the longest silent runs, and the
    /// statements it would run as `taskwarden recover --show-sql` prints them.
    public struct RecoverPreview: Sendable {
        public let found: Int
        /// At most 20, longest silent first.
        public let sample: [StuckRun]
        /// The script: its batches, with the values written in.
        public let script: String
        public let statements: Int
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

    /// What ``recover(_:on:actor:)`` with `options` would do now, changing nothing.
    public func previewRecover(_ options: RecoverOptions, on watched: AdminServer.Table, actor: String) async throws -> RecoverPreview {
        try await access.withTaskRuns(table: watched.table, actor: actor, retry: .never) { runs in
            var dry = options
            dry.dryRun = true
            let result = try runs.recover(dry)
            var real = options
            real.dryRun = false
            let (script, preamble) = try runs.script { _ = try $0.recover(real) }
            let now = (try? DatabaseClock.now(on: runs.connection))?.iso8601 ?? "now"
            let header = [
                "The statements 'taskwarden recover' would run on table \(runs.table.name) (\(runs.connection.dialect)), as of \(now):",
                "nothing was changed. Its batches, cutoffs and ids are those of the table at that moment;",
                "runs that changed since are left alone by the conditions each statement repeats.",
            ]
            return RecoverPreview(
                found: result.found, sample: Array(result.stuck.prefix(20)), script: script.text(header: header, preamble: preamble),
                statements: script.statements.count)
        }
    }

    static func status(_ text: String) throws -> TaskStatus {
        guard let status = TaskStatus(rawValue: text) else {
            throw AdminRequestError(message: "unknown status '\(text)' (queued, running, succeeded, failed, cancelled)")
        }
        return status
    }
}
