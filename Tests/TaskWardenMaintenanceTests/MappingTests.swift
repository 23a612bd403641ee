import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A mapping gives each role a column of its own.
@Suite("Table mappings")
struct MappingTests {
    @Test("a column mapped for two roles is refused", arguments: [
        "table: {name: t, columns: {status: state, error: state, started_at: started_at}}",
        "table: {name: t, columns: {started_at: started_at, finished_at: finished_at, message: finished_at}}",
        "table: {name: t, columns: {started_at: started_at, heartbeat_at: started_at}}",
        "table: {name: t, columns: {started_at: s, kind: STATUS}}",
        "table: {name: t, columns: {id: run_id, started_at: started_at, worker: RUN_ID}}",
        "table: {name: t, columns: {started_at: started_at}, parent: {name: p, key: status}}",
    ])
    func twoRolesRefused(yaml: String) {
        let error = #expect(throws: ConfigurationError.self) { try TaskWardenConfiguration.parse(yaml) }
        #expect(error?.description.contains("mapped as both") == true, "\(String(describing: error))")
    }

    static let roles = TaskTable.Column.allCases
    static let columnNames = ["id", "status", "state", "started_at", "finished_at", "note", "Note", "kind", "w"]

    /// A mapping of some roles to a few column names, often clashing.
    static let mappings = Gen<TaskTable.Column?>.element(of: roles).map { $0! }
        .array(of: 0...8)
        .map { roles -> [(TaskTable.Column, Int)] in roles.enumerated().map { ($0.element, $0.offset) } }

    @Test("generated mappings: accepted exactly when every role has a column of its own (a start may share the finish's)")
    func generatedMappings() async {
        await propertyCheck(count: 300, input: Self.mappings, Gen.int(in: 0...1_000)) { picks, seed in
            var columns: [TaskTable.Column: SQLIdentifier] = [.id: try! SQLIdentifier("id"), .status: try! SQLIdentifier("status"), .startedAt: try! SQLIdentifier("started_at")]
            for (role, index) in picks {
                columns[role] = try! SQLIdentifier(Self.columnNames[(index * 7 + seed) % Self.columnNames.count])
            }
            // The one pair that may share a column: a start that is also the finish.
            let sharedTime = columns[.startedAt]?.name.lowercased() == columns[.finishedAt]?.name.lowercased()
            let names = columns.filter { !(sharedTime && $0.key == .startedAt) }.values.map { $0.name.lowercased() }
            let distinct = Set(names).count == names.count
            do {
                let table = try TaskTable(name: try! SQLIdentifier("t"), columns: columns)
                #expect(distinct, "accepted \(columns.mapValues(\.name))")
                // The note never lands in the status or a time column.
                if let note = table.noteColumn, let noteName = table.columns[note]?.name.lowercased() {
                    #expect(noteName != table.columns[.status]?.name.lowercased())
                    #expect(!TaskTable.Column.allCases.filter(\.holdsTime).contains { table.columns[$0]?.name.lowercased() == noteName })
                }
            } catch {
                #expect(!distinct, "refused \(columns.mapValues(\.name)): \(error)")
            }
        }
    }

    @Test("a text role mapped onto a time column the mapping does not name is refused by recover, reset and their dry runs", arguments: TestBackend.allCases)
    func textRoleOnTimeColumn(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        let timeType = backend == .mysql ? "DATETIME(6)" : "TIMESTAMP"
        try db.execute("CREATE TABLE note_runs (id INTEGER PRIMARY KEY, status VARCHAR(16) NOT NULL, started_at \(timeType) NULL, finished_at \(timeType) NULL)", [])
        let p = db.dialect.placeholder
        try db.execute("INSERT INTO note_runs (id, status, started_at) VALUES (1, 'running', \(p(1)))", [.timestamp(fixture.ago(minutes: 120))])
        let table = try TaskWardenConfiguration.parse("table: {name: note_runs, columns: {started_at: started_at, message: finished_at}}").table
        let runs = TaskRuns(connection: db, table: table, actor: "tester")
        let policy = StuckPolicy(defaultThreshold: .seconds(600))
        for dryRun in [true, false] {
            let error = try #require(throws: MaintenanceError.self) { try runs.recover(RecoverOptions(policy: policy, dryRun: dryRun)) }
            #expect(error.description.contains("finished_at"))
            guard case .columnHoldsTimes(let column, _, let role, _) = error.kind else {
                Issue.record("expected columnHoldsTimes, got \(error.kind)")
                continue
            }
            #expect(column == "finished_at" && role == .message)
        }
        #expect(throws: MaintenanceError.self) { try runs.previewReset(ResetFilter(statuses: [.running]), reason: "x") }
        #expect(throws: MaintenanceError.self) { try runs.reset(ResetFilter(statuses: [.running]), to: .failed, reason: "x") }
        #expect(try db.queryValue(String.self, "SELECT status FROM note_runs") == "running")
        #expect(try fixture.journalCount() == 0)

        // The same table mapped with a note column of text works.
        try db.execute("ALTER TABLE note_runs ADD note TEXT", [])
        let good = try TaskWardenConfiguration.parse("table: {name: note_runs, columns: {started_at: started_at, finished_at: finished_at, message: note}}").table
        let recovered = try TaskRuns(connection: db, table: good, actor: "tester").recover(RecoverOptions(policy: policy))
        #expect(recovered.changed.count == 1)
    }
}
