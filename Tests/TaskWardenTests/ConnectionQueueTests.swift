import TaskWarden
import TaskWardenTestSupport
import Testing

/// `async` callers reach connections through `ConnectionQueue` without blocking the cooperative pool.
@Suite("ConnectionQueue")
struct ConnectionQueueTests {
    @Test("many concurrent tasks share one queued connection", arguments: TestBackend.allCases)
    func concurrentTasks(backend: TestBackend) async throws {
        let queue = try await DatabaseDrivers.queue(try backend.makeURL())
        let table = uniqueTableName()
        try await queue.withConnection(retry: .never) { db in try ConformanceFixtures.createValuesTable(table, on: db) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 1...50 {
                group.addTask {
                    try await queue.withConnection(retry: .never) { db in
                        try ConformanceFixtures.insert(into: table, on: db, id: Int64(id), column: "i", value: .integer(Int64(id)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let sum = try await queue.withConnection(retry: .never) { db in try db.queryValue(Int.self, "SELECT SUM(i) FROM \(table)") }
        #expect(sum == 50 * 51 / 2)
        try await queue.withConnection(retry: .never) { db in ConformanceFixtures.drop(table, on: db) }
        queue.close()
    }

    @Test("errors thrown on the queue reach the awaiting task", arguments: TestBackend.allCases)
    func errorsPropagate(backend: TestBackend) async throws {
        let queue = try await DatabaseDrivers.queue(try backend.makeURL())
        await #expect(throws: DatabaseError.self) {
            try await queue.withConnection(retry: .never) { db in try db.query("SELECT * FROM no_such_table_here", []) }
        }
        queue.close()
    }

    @Test("withTransaction commits when the closure returns and rolls back when it throws", arguments: TestBackend.allCases)
    func transactions(backend: TestBackend) async throws {
        let queue = try await DatabaseDrivers.queue(try backend.makeURL())
        defer { queue.close() }
        let table = uniqueTableName()
        try await queue.withConnection(retry: .never) { db in try ConformanceFixtures.createValuesTable(table, on: db) }
        try await queue.withTransaction(retry: .never) { db in
            try ConformanceFixtures.insert(into: table, on: db, id: 1, column: "i", value: .integer(1))
        }
        struct Undo: Error {}
        await #expect(throws: Undo.self) {
            try await queue.withTransaction(retry: .never) { db in
                try ConformanceFixtures.insert(into: table, on: db, id: 2, column: "i", value: .integer(2))
                throw Undo()
            }
        }
        let ids = try await queue.withConnection(retry: .never) { db in
            try db.query("SELECT id FROM \(table) ORDER BY id", []).map { try $0.decode(Int.self, "id") }
        }
        #expect(ids == [1])
        try await queue.withConnection(retry: .never) { db in ConformanceFixtures.drop(table, on: db) }
    }

    @Test("a connect failure is thrown from open")
    func openFailure() async throws {
        await #expect(throws: DatabaseError.self) {
            _ = try await DatabaseDrivers.queue(try DatabaseURL(parsing: "postgres://nobody:pw@127.0.0.1:1/none?connect_timeout=2"))
        }
    }
}
