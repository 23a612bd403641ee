import TaskWardenCore
import TaskWardenMaintenance
import TaskWardenSchema

/// One change the admin server can make, with what selects its runs: recover, reset, cancel,
/// delete, purge or undo.
///
/// A value per action, so that one preview and one apply (``AdminActions/preview(_:reason:on:actor:batchSize:)``,
/// ``AdminActions/apply(_:reason:on:actor:bulk:)``) serve every action and every door: each
/// case is carried out by the library call its CLI command makes.
public enum AdminChange: Sendable {
    /// `taskwarden recover`: the stuck runs the options select; the reason is the one given to apply.
    case recover(RecoverOptions)
    /// `taskwarden reset`: the runs the filter selects, moved to the status.
    case reset(ResetFilter, to: TaskStatus)
    /// `taskwarden cancel`: queued and running runs by id or kind, asked to stop.
    case cancel(ids: [String], kinds: [String])
    /// `taskwarden delete`: finished runs, into the archive table when one is named (which
    /// `undo` needs).
    case delete(DeleteFilter, archive: SQLIdentifier?)
    /// `taskwarden purge`: finished runs past the options' retention, in keyset batches.
    case purge(PurgeOptions)
    /// `taskwarden undo --batch`: the runs of a journal batch that have not moved on since.
    case undo(batch: String)

    /// The CLI command that makes this change: what the script header names.
    public var command: String {
        switch self {
        case .recover: "recover"
        case .reset: "reset"
        case .cancel: "cancel"
        case .delete: "delete"
        case .purge: "purge"
        case .undo: "undo"
        }
    }
}

/// What a change would do, changing nothing: the count, a sample, the script of its first
/// batches as `--show-sql` prints them, and the batches it would take.
public struct ChangePreview: Sendable {
    /// A run of the sample, as the preview shows it.
    public struct Run: Sendable, Hashable {
        public let id: String
        /// The table's status value now.
        public let status: String
        public let kind: String?
        /// What else tells about it: how long silent, when started, what the batch set.
        public let detail: String
    }

    /// A count of the rows the change takes, by status (and kind): a purge's breakdown.
    public struct Count: Sendable, Hashable {
        public let status: String
        public let kind: String?
        public let rows: Int
    }

    /// Runs (rows, for a purge) the change would take now; what the confirmation must repeat.
    public let found: Int
    /// At most 20 of them.
    public let sample: [Run]
    /// By status and kind, where the change counts so (purge).
    public let counts: [Count]
    /// Undo: runs of the batch that moved on since (changed by someone else, or gone), which
    /// the undo leaves alone; with at most 20 of them, their status now in ``Run/status``.
    public let leftAlone: Int
    public let leftAloneSample: [Run]
    /// Delete: runs named by id that it leaves, each with why.
    public let refused: [RefusedRun]
    /// The statements of its first ``AdminActions/previewScriptBatches`` batches, as
    /// `taskwarden <command> --show-sql` prints them, ending with a comment on the
    /// ``moreBatches`` it leaves out.
    public let script: String
    /// The statements in ``script``.
    public let statements: Int
    /// The batches the change would take, each one short transaction: the runs (rows, journal
    /// entries) over the batch size, as counted now.
    public let batches: Int
    /// Runs per batch (rows, for a purge; journal entries per page, for an undo).
    public let batchSize: Int
    /// The batches after those ``script`` shows; 0 when it shows them all.
    public let moreBatches: Int
}

/// What a change did.
public struct ChangeOutcome: Sendable {
    /// Runs changed (rows deleted, for a purge).
    public let changed: Int
    /// Runs selected but left alone because they moved on before their batch (or, for an undo,
    /// since the batch).
    public let skipped: Int
    /// The journal batch, for `undo`; `nil` when nothing changed or the change is not journaled
    /// (a purge deletes what retention lets go, unjournaled, as `taskwarden purge` does).
    public let batchID: String?
    /// The cancel button stopped it between two batches.
    public let stoppedEarly: Bool
}
