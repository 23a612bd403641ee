import TaskWardenSchema

/// How long finished runs are kept, per status and, optionally, per kind.
///
/// Only finished statuses have a retention: queued and running runs are never purged, whatever
/// a policy says.
public struct RetentionPolicy: Sendable, Hashable {
    /// Retention by status; a status without one is not purged.
    public var statuses: [TaskStatus: Duration]
    /// Per-kind retention, overriding `statuses` for the statuses it names.
    public var kinds: [String: [TaskStatus: Duration]]

    public static let purgeable: [TaskStatus] = [.succeeded, .failed, .cancelled]

    public init(statuses: [TaskStatus: Duration] = [:], kinds: [String: [TaskStatus: Duration]] = [:]) {
        self.statuses = statuses.filter { Self.purgeable.contains($0.key) }
        self.kinds = kinds.mapValues { $0.filter { Self.purgeable.contains($0.key) } }
    }

    /// Whether nothing would be purged.
    public var isEmpty: Bool { statuses.isEmpty && kinds.values.allSatisfy(\.isEmpty) }

    /// The retention of `status` for runs of `kind` (`nil`: the default rules).
    public func retention(_ status: TaskStatus, kind: String?) -> Duration? {
        kind.flatMap { kinds[$0]?[status] } ?? statuses[status]
    }
}
