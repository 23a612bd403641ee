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

/// What `recover` found and did: counts, samples and the batch, however many runs it changed.
public struct RecoveryResult: Sendable {
    /// In a dry run, the stuck runs that would change, longest silent first: all of them with
    /// a limit, else at most ``BulkOptions/sampleSize``. Empty after a real run (its runs are
    /// in ``changed`` and the journal).
    public let stuck: [StuckRun]
    /// How many stuck runs there are (dry run) or were selected (real run).
    public let found: Int
    /// The runs changed, parents included: counts and a sample; empty in a dry run.
    public let changed: ChangedRuns
    /// Stuck runs that were not changed because they finished or sent a heartbeat before their
    /// batch took them.
    public let skipped: Int
    /// The journal batch, for `undo`; `nil` in a dry run or when nothing changed.
    public let batchID: String?
    public let dryRun: Bool
}

extension TaskRuns {
    /// Marks stuck runs failed or cancelled (with `finished_at` and a note saying why), or
    /// requeues them, journaling every change under one batch id.
    ///
    /// Walks the running runs in id order, one threshold at a time (a kind's own, then the
    /// default for the other kinds), in batches of ``BulkOptions/batchSize``: each batch one
    /// short transaction whose set statements journal and change its runs, re-checking in the
    /// statement that each is still running and still silent past its threshold, so a run that
    /// finished or sent a heartbeat a moment ago is left alone. With a `limit`, the runs are the
    /// `limit` longest silent, found first.
    ///
    /// A dry run makes the same checks as the real run first, so it fails exactly where the
    /// real run would.
    public func recover(_ options: RecoverOptions, bulk: BulkOptions = BulkOptions()) throws -> RecoveryResult {
        try checkRecover(options)
        let now = try DatabaseClock.now(on: connection)
        let groups = try stuckGroups(options, now: now)
        if options.dryRun {
            let stuck = try findStuck(policy: options.policy, kind: options.kind, limit: options.limit ?? bulk.sampleSize, now: now)
            let found = options.limit != nil ? stuck.count : try groups.reduce(0) { $0 + (try count($1.filter)) }
            return RecoveryResult(stuck: stuck, found: found, changed: ChangedRuns(), skipped: 0, batchID: nil, dryRun: true)
        }
        let batchID = Self.newBatchID(now: now)
        var tally = BulkTally()
        let verb = options.target == .queued ? "requeued" : "marked \(options.target.rawValue)"
        for group in groups {
            let note = "stuck: no sign of life for over \(group.threshold.compactText); \(verb) by taskwarden recover at \(now)"
                + (options.reason.map { ": \($0)" } ?? "")
            try walk(
                BulkChange(
                    filter: group.filter, target: options.target, failWhenAttemptsExhausted: true, operation: .recover,
                    reason: options.reason, note: note, batchID: batchID, now: now),
                options: bulk, into: &tally)
        }
        var changed = tally.changed
        if !changed.isEmpty { changed.sample = try sample(ofBatch: batchID, limit: bulk.sampleSize) }
        return RecoveryResult(
            stuck: [], found: tally.selected, changed: changed,
            skipped: max(0, tally.selected - changed.count(in: table.name.description)), batchID: changed.isEmpty ? nil : batchID,
            dryRun: false)
    }

    /// The stuck runs as predicates, one per threshold: a kind's own threshold for its runs,
    /// the default for every other kind. With a limit, the runs found first, by id.
    private func stuckGroups(_ options: RecoverOptions, now: Timestamp) throws -> [(threshold: Duration, filter: BulkFilter)] {
        let running = table.values(.running)
        func cutoff(_ threshold: Duration) throws -> DatabaseValue { table.times.encode(try now.cutoff(olderThan: threshold)) }
        if let limit = options.limit {
            let stuck = try findStuck(policy: options.policy, kind: options.kind, limit: limit, now: now)
            return try Dictionary(grouping: stuck, by: \.threshold).sorted { $0.key < $1.key }.map { threshold, runs in
                (threshold, BulkFilter(from: running, ids: runs.map(\.id), cutoff: try cutoff(threshold)))
            }
        }
        if let kind = options.kind {
            let threshold = options.policy.threshold(forKind: kind)
            return [(threshold, BulkFilter(from: running, kinds: [.text(kind)], cutoff: try cutoff(threshold)))]
        }
        guard table.has(.kind), !options.policy.kindThresholds.isEmpty else {
            return [(options.policy.defaultThreshold, BulkFilter(from: running, cutoff: try cutoff(options.policy.defaultThreshold)))]
        }
        let kindsByThreshold = Dictionary(grouping: options.policy.kindThresholds, by: \.value)
        var groups = try kindsByThreshold.sorted { $0.key < $1.key }.map { threshold, kinds in
            (threshold, BulkFilter(from: running, kinds: kinds.map(\.key).sorted().map(DatabaseValue.text), cutoff: try cutoff(threshold)))
        }
        let others = options.policy.kindThresholds.keys.sorted().map(DatabaseValue.text)
        groups.append(
            (options.policy.defaultThreshold,
             BulkFilter(from: running, exceptKinds: others, cutoff: try cutoff(options.policy.defaultThreshold))))
        return groups
    }

    /// The checks of a recover, for its real and its dry run alike.
    func checkRecover(_ options: RecoverOptions) throws {
        guard options.target != .running, options.target != .succeeded else {
            throw MaintenanceError(.recoverTarget(options.target))
        }
        if options.kind != nil && !table.has(.kind) {
            throw MaintenanceError(.unmappedColumns([.kind], table: table.name.description, purpose: .filteringByKind))
        }
        try table.checkWritable(options.target)
        if options.target == .queued {
            try checkCanRequeue()
            try table.checkWritable(.failed)  // runs without attempts left are failed
        }
        try checkJournalInput(reason: options.reason)
        try checkTextRoles(declaredColumns())
    }
}
