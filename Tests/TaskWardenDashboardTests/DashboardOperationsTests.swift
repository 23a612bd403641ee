import Foundation
import TaskWardenMaintenance
import Testing

@testable import TaskWardenDashboard

/// The operations board alone: progress, cancel, failure, without a database.
@Suite("dashboard operations")
struct DashboardOperationsTests {
    @Test("a cancelled operation's batches see the stop, and it ends as stopped with what it did; a failing one ends failed with its error")
    func cancelAndFail() async throws {
        let board = DashboardOperations()
        let id = board.start(title: "t", table: "task_runs", actor: "ui:test", expected: 100) { options in
            var done = 0
            while options.shouldStop?() != true && done < 100_000 {
                done += 1
                options.progress?(BulkProgress(done: done, expected: 100, batches: done, elapsed: .zero))
                try await Task.sleep(for: .milliseconds(1))
            }
            return .init(changed: done, skipped: 0, batchID: "b")
        }
        try await Task.sleep(for: .milliseconds(20))
        #expect(board.operation(id)?.state == .running)
        #expect(board.cancel(id))
        #expect(!board.cancel("no-such-id"))
        for _ in 0..<200 where board.operation(id)?.state == .running { try await Task.sleep(for: .milliseconds(10)) }
        let stopped = try #require(board.operation(id))
        #expect(stopped.state == .stopped)
        #expect(stopped.result?.changed ?? 0 < 100_000)

        struct Boom: Error, CustomStringConvertible { var description: String { "boom\nsecond line" } }
        let failing = board.start(title: "f", table: "task_runs", actor: "ui:test", expected: 1) { _ in throw Boom() }
        for _ in 0..<200 where board.operation(failing)?.state == .running { try await Task.sleep(for: .milliseconds(10)) }
        #expect(board.operation(failing)?.state == .failed)
        #expect(board.operation(failing)?.error == "boom")
        #expect(board.all.first?.id == failing, "latest first")
    }
}
