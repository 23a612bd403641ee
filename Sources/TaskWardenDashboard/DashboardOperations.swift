import Foundation
import TaskWardenMaintenance

/// The changes the dashboard started, tracked while they run: progress for the page that
/// follows one, and a cancel flag its batches check.
///
/// A change runs in a task of its own, so the request that confirmed it returns at once and
/// the page polls. Cancelling stops the change before its next batch: every batch committed so
/// far stays, journaled, for `undo`. Kept in memory, the latest 50: a restart forgets them (the
/// journal keeps every change).
final class DashboardOperations: @unchecked Sendable {
    enum State: Sendable { case running, finished, stopped, failed }

    /// One change, as its page shows it.
    struct Operation: Sendable {
        let id: String
        let title: String
        let table: String
        let actor: String
        let startedAt: Date
        var expected: Int
        var state = State.running
        var done = 0
        var batches = 0
        var cancelRequested = false
        var result: Result?
        var error: String?
    }

    /// What a finished change reports.
    struct Result: Sendable {
        let changed: Int
        let skipped: Int
        let batchID: String?
    }

    private let lock = NSLock()
    private var operations: [Operation] = []
    static let kept = 50

    /// Starts `body` in a task of its own; it gets the options that report its progress and
    /// stop it when cancelled.
    func start(
        title: String, table: String, actor: String, expected: Int, _ body: @escaping @Sendable (BulkOptions) async throws -> Result
    ) -> String {
        let id = UUID().uuidString.lowercased()
        lock.withLock {
            operations.append(Operation(id: id, title: title, table: table, actor: actor, startedAt: Date(), expected: expected))
            if operations.count > Self.kept { operations.removeFirst(operations.count - Self.kept) }
        }
        let options = BulkOptions(
            expected: expected, progress: { [weak self] progress in self?.update(id) { $0.done = progress.done; $0.batches = progress.batches } },
            shouldStop: { [weak self] in self?.operation(id)?.cancelRequested ?? true })
        Task.detached {
            do {
                let result = try await body(options)
                self.update(id) { operation in
                    operation.result = result
                    operation.done = result.changed
                    operation.state = operation.cancelRequested && result.changed < operation.expected ? .stopped : .finished
                }
            } catch {
                self.update(id) { operation in
                    operation.error = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
                    operation.state = .failed
                }
            }
        }
        return id
    }

    /// Asks a running change to stop before its next batch; `false` when there is no such change.
    @discardableResult
    func cancel(_ id: String) -> Bool {
        lock.withLock {
            guard let index = operations.firstIndex(where: { $0.id == id }) else { return false }
            operations[index].cancelRequested = true
            return true
        }
    }

    func operation(_ id: String) -> Operation? {
        lock.withLock { operations.first { $0.id == id } }
    }

    /// The latest first.
    var all: [Operation] {
        lock.withLock { operations.reversed() }
    }

    private func update(_ id: String, _ change: (inout Operation) -> Void) {
        lock.withLock {
            guard let index = operations.firstIndex(where: { $0.id == id }) else { return }
            change(&operations[index])
        }
    }
}
