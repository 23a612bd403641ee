import TaskWardenCore
import TaskWardenSchema

extension DatabaseAccess {
    /// Runs ``Doctor``'s checks on one session lent by this access; a check that cannot run is
    /// reported as failed, not thrown.
    ///
    /// Nothing is retried: the doctor reports what it finds, a lost connection included.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func runDoctor(
        table: TaskTable = .taskRuns, policy: StuckPolicy = StuckPolicy(), longTransaction: Duration = .seconds(300)
    ) throws -> [Doctor.Check] {
        try withConnection(retry: .never) { connection in
            Doctor(connection: connection, table: try table.fillingColumnsByName(on: connection), policy: policy, longTransaction: longTransaction).run()
        }
    }

    /// ``runDoctor(table:policy:longTransaction:)`` from `async` code, on the connection's own thread.
    public func runDoctor(
        table: TaskTable = .taskRuns, policy: StuckPolicy = StuckPolicy(), longTransaction: Duration = .seconds(300)
    ) async throws -> [Doctor.Check] {
        try await withConnection(retry: .never) { connection in
            Doctor(connection: connection, table: try table.fillingColumnsByName(on: connection), policy: policy, longTransaction: longTransaction).run()
        }
    }
}

extension Doctor {
    init(connection: any DatabaseConnection, table: TaskTable, policy: StuckPolicy, longTransaction: Duration) {
        self.init(connection: connection, table: table, policy: policy)
        self.longTransaction = longTransaction
    }
}
