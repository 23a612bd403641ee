import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Run ids and journaled text are checked before anything runs: a bad id never reaches SQL
/// (where MySQL casts '2,3' to run 2), and text the journal cannot hold is refused up front.
@Suite("Run ids and journal limits")
struct RunInputTests {
    /// Ids that MySQL would cast to another run's id, PostgreSQL refuse mid-command, or SQLite convert.
    static let malformedIDs = ["2,3", "1abc", "1; DROP TABLE task_runs", " 1", "1 ", "+1", "01", "", "1.0", "0x1", "1e1", "99999999999999999999"]

    private func statuses(_ fixture: RunFixture) throws -> [String] {
        try fixture.connection.query("SELECT status FROM task_runs ORDER BY id").map { try $0.decode(String.self, "status") }
    }

    @Test("reset, its preview and cancel refuse an id that is not an integer, and change nothing", arguments: TestBackend.allCases)
    func malformedIDsAreRefused(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        for _ in 0..<3 { try fixture.insert(startedMinutesAgo: 5) }
        for text in Self.malformedIDs {
            let filter = ResetFilter(statuses: [.running], ids: [text])
            let reset = try #require(throws: RunInputError.self) { try fixture.runs.reset(filter, to: .failed, reason: "INC-5") }
            #expect(reset.kind == .malformedRunID(text, table: "task_runs"))
            #expect(throws: RunInputError.self) { try fixture.runs.previewReset(filter, reason: "INC-5") }
            #expect(throws: RunInputError.self) { try fixture.runs.requestCancel(ids: [text], reason: "INC-5") }
        }
        #expect(try statuses(fixture) == ["running", "running", "running"])
        #expect(try fixture.connection.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE cancel_requested_at IS NOT NULL") == 0)
        #expect(try fixture.journalCount() == 0)

        let result = try fixture.runs.reset(ResetFilter(statuses: [.running], ids: ["2"]), to: .failed, reason: "INC-5")
        #expect(result.changed.sample.map(\.id) == [.text("2")])
        #expect(try statuses(fixture) == ["running", "failed", "running"])
    }

    @Test("a text id column takes ids as text, exactly", arguments: TestBackend.allCases)
    func textIDs(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        try db.execute("CREATE TABLE text_runs (id VARCHAR(64) PRIMARY KEY, status VARCHAR(16) NOT NULL, started_at TIMESTAMP NULL, finished_at TIMESTAMP NULL, error TEXT)", [])
        for id in ["01", "1", "a-1", "2,3"] {
            let p = db.dialect.placeholder
            try db.execute("INSERT INTO text_runs (id, status, started_at) VALUES (\(p(1)), 'running', \(p(2)))", [.text(id), .timestamp(fixture.ago(minutes: 5))])
        }
        let table = try TaskWardenConfiguration.parse("table: {name: text_runs, columns: {started_at: started_at, finished_at: finished_at, error: error}}").table
        let runs = TaskRuns(connection: db, table: table, actor: "tester")
        let result = try runs.reset(ResetFilter(statuses: [.running], ids: ["01", "2,3"]), to: .failed, reason: "INC-5")
        #expect(Set(result.changed.sample.map(\.id)) == [.text("01"), .text("2,3")])
        let failed = try db.query("SELECT id FROM text_runs WHERE status = 'failed' ORDER BY id").map { try $0.decode(String.self, "id") }
        #expect(failed == ["01", "2,3"])
        #expect(throws: RunInputError.self) { try runs.reset(ResetFilter(statuses: [.running], ids: [String(repeating: "x", count: 101)]), to: .failed, reason: "x") }
    }

    /// Strings that look like ids, half of them integers, the rest near misses.
    static let idText = Gen<String?>.element(of: ["0", "1", "2", "3", "7", "12", "-", "+", " ", ",", ";", "a", ".", "e", "x", "0"])
        .map { $0 ?? "" }.array(of: 1...4).map { $0.joined() }

    @Test("generated ids either parse to exactly that integer and change only that run, or are refused", arguments: TestBackend.allCases)
    func generatedIDs(backend: TestBackend) async throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        for _ in 0..<12 { try fixture.insert(startedMinutesAgo: 5) }
        await propertyCheck(count: 200, input: Self.idText) { text in
            let canonical = Int64(text).flatMap { String($0) == text ? $0 : nil }
            do {
                let result = try fixture.runs.reset(ResetFilter(statuses: [.running], ids: [text]), to: .failed, reason: "property")
                #expect(canonical != nil, "'\(text)' was accepted")
                let expected: [DatabaseValue] = canonical.map { (1...12).contains($0) ? [.text(String($0))] : [] } ?? []
                #expect(result.changed.sample.map(\.id) == expected, "'\(text)' changed \(result.changed.sample.map(\.id))")
            } catch let error as RunInputError {
                #expect(canonical == nil, "'\(text)' was refused: \(error)")
            }
            let failed = try fixture.connection.query("SELECT id FROM task_runs WHERE status <> 'running'").map { try $0.decode(Int64.self, "id") }
            #expect(failed == (canonical.map { (1...12).contains($0) ? [$0] : [] } ?? []))
            try fixture.connection.execute("UPDATE task_runs SET status = 'running', finished_at = NULL", [])
        }
    }

    @Test("an actor or a reason longer than the journal holds is refused before anything runs; the limits themselves fit", arguments: TestBackend.allCases)
    func journalLimits(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let id = try fixture.insert(startedMinutesAgo: 120)
        let longActor = TaskRuns(connection: fixture.connection, actor: String(repeating: "a", count: JournalLimits.actorCharacters + 1))
        let longReason = String(repeating: "r", count: 100_000)
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        let filter = ResetFilter(statuses: [.running])
        for dryRun in [true, false] {
            let actorError = try #require(throws: RunInputError.self) { try longActor.recover(RecoverOptions(policy: policy, dryRun: dryRun)) }
            #expect(actorError.kind == .actorTooLong(length: 201, limit: 200))
            let reasonError = try #require(throws: RunInputError.self) {
                try fixture.runs.recover(RecoverOptions(policy: policy, reason: longReason, dryRun: dryRun))
            }
            #expect(reasonError.kind == .reasonTooLong(bytes: 100_000, limit: JournalLimits.reasonBytes))
        }
        #expect(throws: RunInputError.self) { try longActor.previewReset(filter, reason: "x") }
        #expect(throws: RunInputError.self) { try longActor.reset(filter, to: .failed, reason: "x") }
        #expect(throws: RunInputError.self) { try fixture.runs.previewReset(filter, reason: longReason) }
        #expect(throws: RunInputError.self) { try fixture.runs.reset(filter, to: .failed, reason: longReason) }
        #expect(throws: RunInputError.self) { try fixture.runs.requestCancel(ids: [String(id)], reason: longReason) }
        #expect(throws: RunInputError.self) { try longActor.undo(batchID: "20260101-000000-abcdef12", dryRun: true) }
        #expect(try fixture.status(of: id) == "running")
        #expect(try fixture.journalCount() == 0)

        // At the limits, counted as the databases count: characters for the actor (two bytes
        // each here), bytes for the reason, which is also written into the run's note.
        let atLimit = TaskRuns(connection: fixture.connection, actor: String(repeating: "ö", count: JournalLimits.actorCharacters))
        let reason = String(repeating: "r", count: JournalLimits.reasonBytes)
        let result = try atLimit.reset(filter, to: .failed, reason: reason)
        #expect(result.changed.count == 1)
        let batch = try #require(result.batchID)
        let entry = try #require(try fixture.runs.journal(batchID: batch).first)
        #expect(entry.actor == String(repeating: "ö", count: JournalLimits.actorCharacters))
        #expect(entry.reason == reason)
    }
}
