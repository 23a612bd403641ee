import ArgumentParser
import TaskWarden

/// A status `recover` and `reset` can move runs to: failed, cancelled or queued.
///
/// A type of its own, not ``TaskStatus``, so that `--help` lists only the values `--to`
/// accepts and the parser refuses the others with its usual one-line error.
enum TargetStatus: String, CaseIterable, ExpressibleByArgument {
    case failed, cancelled, queued

    var status: TaskStatus {
        switch self {
        case .failed: .failed
        case .cancelled: .cancelled
        case .queued: .queued
        }
    }
}
