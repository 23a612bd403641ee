extension RunLifecycle {
    /// A step of a run's life that writes to its row, each a compare-and-set of its own.
    public enum Step: String, Sendable, Hashable, CustomStringConvertible {
        case start
        case heartbeat
        case finish

        public var description: String { rawValue }
    }
}
