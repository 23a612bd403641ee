/// Which operation made a journaled change.
///
/// Stored as text in `task_run_events.operation`; a value this version does not know (written
/// by a newer TaskWarden, or by hand) is kept as ``unknown(_:)`` so the journal still lists.
public enum JournalOperation: Sendable, Hashable, CustomStringConvertible {
    case recover
    case reset
    case undo
    case cancel
    /// Finished runs deleted (`taskwarden delete`); undone from the archive table, if any.
    case delete
    case unknown(String)

    /// The operation a stored value names.
    public init(stored: String) {
        switch stored {
        case "recover": self = .recover
        case "reset": self = .reset
        case "undo": self = .undo
        case "cancel": self = .cancel
        case "delete": self = .delete
        default: self = .unknown(stored)
        }
    }

    /// The value the journal stores.
    public var stored: String {
        switch self {
        case .recover: "recover"
        case .reset: "reset"
        case .undo: "undo"
        case .cancel: "cancel"
        case .delete: "delete"
        case .unknown(let value): value
        }
    }

    public var description: String { stored }
}
