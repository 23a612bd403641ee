/// The life of a run, in TaskWarden's words. Tables with their own words map onto these.
public enum TaskStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case queued
    case running
    case succeeded
    case failed
    case cancelled

    /// Whether the run is over: succeeded, failed or cancelled.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
