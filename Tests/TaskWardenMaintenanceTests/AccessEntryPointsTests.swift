import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Maintenance operations are reached through the access protocol, from `async` code as from
/// threads of one's own.
@Suite("Maintenance through DatabaseAccess")
struct AccessEntryPointsTests {
    @Test("withTaskRuns and runDoctor lend one session from a queue, async and blocking", arguments: TestBackend.allCases)
    func queueEntryPoints(backend: TestBackend) async throws {
        let fixture = try RunFixture(backend)
        defer { fixture.connection.close(); fixture.database.drop() }
        let id = try fixture.insert(startedMinutesAgo: 120)
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        let queue = try await DatabaseDrivers.queue(try fixture.database.url)
        defer { queue.close() }

        let stuck = try await queue.withTaskRuns(actor: "tester") { runs in try runs.findStuck(policy: policy).map(\.id) }
        #expect(stuck == [.integer(id)])
        let checks = try await queue.runDoctor(policy: policy)
        #expect(checks.first { $0.name == "schema" }?.level == .ok, "\(checks.map { "\($0.name): \($0.summary)" })")
        #expect(checks.first { $0.name == "stuck runs" }?.level == .warn)

        // The blocking forms, from a thread of one's own.
        let blocking = try await onOwnThread {
            try queue.withTaskRuns(actor: "tester") { runs in try runs.findStuck(policy: policy).map(\.id) }
        }
        #expect(blocking == [.integer(id)])
    }
}
