import TaskWardenCore
import TaskWardenSchema

/// What `recover` should do with stuck runs.
public struct RecoverOptions: Sendable {
    public var policy: StuckPolicy
    public var kind: String?
    /// `failed` (the default), `cancelled`, or `queued` (requeue while attempts remain, else fail).
    public var target: TaskStatus = .failed
    public var reason: String?
    public var dryRun = false
    public var limit: Int?

    public init(policy: StuckPolicy, kind: String? = nil, target: TaskStatus = .failed, reason: String? = nil, dryRun: Bool = false, limit: Int? = nil) {
        self.policy = policy
        self.kind = kind
        self.target = target
        self.reason = reason
        self.dryRun = dryRun
        self.limit = limit
    }
}

/// What `recover` found and did.
public struct RecoveryResult: Sendable {
    /// The stuck runs found (in a dry run, the ones that would change).
    public let stuck: [StuckRun]
    /// The runs changed, parents included; empty in a dry run.
    public let changed: [ChangedRun]
    /// The journal batch, for `undo`; `nil` in a dry run or when nothing changed.
    public let batchID: String?
    public let dryRun: Bool

    /// Stuck runs that were not changed because they finished or sent a heartbeat meanwhile.
    public var skipped: Int {
        let changedIDs = Set(changed.map(\.id))
        return dryRun ? 0 : stuck.filter { !changedIDs.contains($0.id) }.count
    }
}

extension TaskRuns {
    /// Marks stuck runs failed or cancelled (with `finished_at` and a note saying why), or
    /// requeues them, journaling every change under one batch id.
    ///
    /// Each update re-checks, in the same statement, that the run is still running and still
    /// silent past its threshold, so a run that finished or sent a heartbeat a moment ago is
    /// left alone.
    ///
    /// A dry run makes the same checks as the real run first, so it fails exactly where the
    /// real run would.
    public func recover(_ options: RecoverOptions) throws -> RecoveryResult {
        try checkRecover(options)
        let now = try DatabaseClock.now(on: connection)
        let stuck = try findStuck(policy: options.policy, kind: options.kind, limit: options.limit, now: now)
        guard !options.dryRun, !stuck.isEmpty else {
            return RecoveryResult(stuck: stuck, changed: [], batchID: nil, dryRun: options.dryRun)
        }
        let batchID = Self.newBatchID(now: now)
        var changed: [ChangedRun] = []
        // Runs with the same threshold share a cutoff, so each group is one set of statements.
        for (threshold, runs) in Dictionary(grouping: stuck, by: \.threshold).sorted(by: { $0.key < $1.key }) {
            let verb = options.target == .queued ? "requeued" : "marked \(options.target.rawValue)"
            let note = "stuck: no sign of life for over \(threshold.compactText); \(verb) by taskwarden recover at \(now)"
                + (options.reason.map { ": \($0)" } ?? "")
            changed += try apply(
                StatusChange(
                    ids: runs.map(\.id), from: table.values(.running), cutoff: try now.cutoff(olderThan: threshold),
                    target: options.target, failWhenAttemptsExhausted: true, operation: .recover, reason: options.reason,
                    note: note, batchID: batchID, now: now))
        }
        return RecoveryResult(stuck: stuck, changed: changed, batchID: changed.isEmpty ? nil : batchID, dryRun: false)
    }

    /// The checks of a recover, for its real and its dry run alike.
    func checkRecover(_ options: RecoverOptions) throws {
        guard options.target != .running, options.target != .succeeded else {
            throw MaintenanceError(.recoverTarget(options.target))
        }
        if options.kind != nil && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        if options.target == .queued { try checkCanRequeue() }
        try checkJournalInput(reason: options.reason)
        try checkTextRoles(declaredColumns())
    }
}
