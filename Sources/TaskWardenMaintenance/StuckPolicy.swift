/// When a running run counts as stuck: no sign of life for longer than its kind's threshold.
public struct StuckPolicy: Sendable, Hashable {
    public var defaultThreshold: Duration
    /// Thresholds for particular kinds (a report that takes an hour, a ping that takes seconds).
    public var kindThresholds: [String: Duration]

    public init(defaultThreshold: Duration = .seconds(30 * 60), kindThresholds: [String: Duration] = [:]) {
        self.defaultThreshold = defaultThreshold
        self.kindThresholds = kindThresholds
    }

    public func threshold(forKind kind: String?) -> Duration {
        kind.flatMap { kindThresholds[$0] } ?? defaultThreshold
    }

    /// The same policy with one threshold for every kind, as `--older-than` asks.
    public func overridden(by threshold: Duration?) -> StuckPolicy {
        guard let threshold else { return self }
        return StuckPolicy(defaultThreshold: threshold)
    }

    /// The smallest threshold that applies to `kind` (or to any kind when `nil`).
    func smallestThreshold(kind: String?) -> Duration {
        if let kind { return threshold(forKind: kind) }
        return ([defaultThreshold] + kindThresholds.values).min() ?? defaultThreshold
    }
}
