import Foundation
import TaskWardenWatch

/// What the watchdogs of this process last did, per table: the dashboard's "watchdog" panel.
///
/// The watchdog reports each cycle through its `onCycle` hook; the dashboard reads the board.
/// `taskwarden serve` runs no watchdog and has no board, and the page says so.
public final class WatchdogBoard: @unchecked Sendable {
    /// One table's watchdog, as of its last cycle.
    public struct State: Sendable {
        public var isLeader = false
        public var lastCycleAt: Date?
        public var lastCycleDuration: Duration?
        public var lastRecovered = 0
        public var cycles = 0
        public var failuresInRow = 0
        /// The last failure, in one line.
        public var lastError: String?
        public var lastErrorAt: Date?
    }

    private let lock = NSLock()
    private var states: [String: State] = [:]

    public init() {}

    /// Records a cycle of the watchdog of `table` (its name as the configuration spells it).
    public func record(table: String, _ result: Result<WatchCycle, any Error>) {
        lock.withLock {
            var state = states[table] ?? State()
            state.lastCycleAt = Date()
            state.cycles += 1
            switch result {
            case .success(let cycle):
                state.isLeader = cycle.isLeader
                state.lastCycleDuration = cycle.duration
                state.lastRecovered = cycle.recovered
                state.failuresInRow = 0
            case .failure(let error):
                state.failuresInRow += 1
                state.lastError = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
                state.lastErrorAt = Date()
            }
            states[table] = state
        }
    }

    /// The state of the watchdog of `table`, `nil` before its first cycle.
    public func state(of table: String) -> State? {
        lock.withLock { states[table] }
    }
}
