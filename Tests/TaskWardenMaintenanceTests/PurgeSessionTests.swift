import Foundation
import TaskWarden
import TaskWardenSQL
import TaskWardenTestSupport
import Testing

/// The purge's session settings are its own: the caller's connection gets its settings back,
/// and each strategy's statements exist where it is chosen.
@Suite("Purge session and strategy")
struct PurgeSessionTests {
    /// The setting the purge changes on `backend`, as the session reports it now.
    private func setting(_ connection: any DatabaseConnection) throws -> String {
        switch connection.backend {
        case .postgresql: return try connection.queryValue(String.self, "SELECT current_setting('transaction_isolation')")
        case .mysql:
            let variable = connection.dialect.isMariaDB ? "@@SESSION.tx_isolation" : "@@SESSION.transaction_isolation"
            return try connection.queryValue(String.self, "SELECT \(variable)")
        case .sqlite: return String(try connection.queryValue(Int.self, "PRAGMA cache_size"))
        }
    }

    @Test("a purge puts back the session settings it changed, after success and after an error", arguments: TestBackend.allCases)
    func restoresSettings(backend: TestBackend) throws {
        let fixture = try RunFixture(backend)
        defer { fixture.close() }
        let db = fixture.connection
        switch db.backend {
        case .mysql: try db.execute("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE", [])
        case .sqlite: try db.execute("PRAGMA cache_size = -1234", [])
        case .postgresql: break
        }
        let before = try setting(db)
        _ = try fixture.insert(status: "succeeded", startedMinutesAgo: 200 * 24 * 60, finishedMinutesAgo: 100 * 24 * 60)
        let summary = try fixture.runs.purge(PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)])))
        #expect(summary.rows == 1)
        #expect(try setting(db) == before)

        // An archive table that cannot be created fails the purge after the settings changed.
        var failing = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(86_400)]))
        failing.archiveTable = try SQLIdentifier("no_such_schema.archive")
        #expect(throws: (any Error).self) { try fixture.runs.purge(failing) }
        #expect(try setting(db) == before)
    }

    @Test("each backend's purge strategy has its statements")
    func strategiesHaveTheirStatements() {
        for backend in DatabaseBackend.allCases {
            for copyingRows in [false, true] {
                switch PurgeStrategy.forPurge(on: backend, copyingRows: copyingRows) {
                case .keyBatches:
                    #expect(!copyingRows)
                    #expect(SQL.Purge.SelectBatch.isAvailable(on: backend) && SQL.Purge.DeleteIds.isAvailable(on: backend), "\(backend)")
                case .rangeWalk:
                    #expect(SQL.Purge.NextBoundary.isAvailable(on: backend) && SQL.Purge.DeleteRange.isAvailable(on: backend), "\(backend)")
                }
            }
        }
        #expect(PurgeStrategy.forPurge(on: .sqlite, copyingRows: false) == .keyBatches)
        #expect(PurgeStrategy.forPurge(on: .postgresql, copyingRows: false) == .rangeWalk)
    }

    @Test("every name a statement uses is one a table mapping gives")
    func namesAreMapped() {
        // `log` is a role mapped tables may have and task_runs does not; `index`, `first` and
        // `second` are map/create_index's names for the index it proposes; `partition` is the
        // partition a purge checks or drops, from the catalog.
        let mapped = Set(TaskTable.taskRuns.identifiers.keys).union(["parent_key", "archive", "note_column", "log", "index", "first", "second", "partition"])
        for statement in SQL.allStatements {
            #expect(statement.names.isSubset(of: mapped), "\(statement.name): \(statement.names.subtracting(mapped).sorted())")
        }
    }
}
