import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// What the preset tests share: TaskWarden's journal migrated next to a system's own table,
/// and the checks of what Celery reads back.
enum PresetFixture {
    /// Migrates TaskWarden's tables into `database` (through `db`) and opens a queue on it,
    /// for the maintenance operations on the system's table.
    static func migratedQueue(_ database: IsolatedDatabase, _ db: any DatabaseConnection) throws -> ConnectionQueue {
        let url = try database.url
        _ = try Migrator(
            connection: db, set: MigrationSet.builtIn(for: db.dialect), options: MigratorOptions(),
            openLockConnection: { try DatabaseDrivers.connect(url) }
        ).up()
        return try DatabaseDrivers.queue(url)
    }

    /// Undoes `batches`, in the order given, on `table`.
    static func undo(_ batches: [String?], on queue: ConnectionQueue, table: TaskTable) throws {
        try queue.withTaskRuns(table: table, actor: "tester") { (runs: TaskRuns) throws in
            for batch in batches { _ = try runs.undo(batchID: try #require(batch)) }
        }
    }

    /// Celery reads task `id` in `state` with an exception of `type` as its result, and every
    /// part of the row without an error.
    static func expectCelery(_ celery: CeleryHarness, reads id: String, as state: String, exception type: String) throws {
        let report = try celery.read(id)
        #expect(report["state"] as? String == state, "\(report)")
        #expect(report["result_type"] as? String == type, "\(report)")
        #expect(report["failed"] as? Bool == (state == "FAILURE"), "\(report)")
        #expect(report.keys.filter { $0.hasSuffix("_error") }.isEmpty, "Celery could not read the row: \(report)")
    }

    /// Celery reads each task as the harness stored it when it started: STARTED, with the
    /// worker's pid as its result.
    static func expectCeleryStarted(_ celery: CeleryHarness, _ ids: [String]) throws {
        for id in ids {
            let back = try celery.read(id)
            #expect(back["state"] as? String == "STARTED", "\(back)")
            #expect((back["result"] as? [String: Any])?["pid"] as? Int == 4242, "\(back)")
            #expect(back.keys.filter { $0.hasSuffix("_error") }.isEmpty, "\(back)")
        }
    }
}
