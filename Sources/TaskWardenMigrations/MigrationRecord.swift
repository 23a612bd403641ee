import TaskWardenCore

/// What the history table says about one migration.
public struct MigrationRecord: Sendable, Hashable {
    /// The state of a recorded migration.
    public enum State: String, Sendable, Hashable, Codable {
        /// Ran to completion.
        case applied
        /// Adopted by `migrate baseline` without running: the schema already had it.
        case baseline
        /// Failed; `migrate` refuses to go on until `migrate repair`.
        case failed
        /// Started outside a transaction and not finished: running now, or interrupted.
        case inProgress = "in_progress"

        /// Whether the migration's changes are in the schema.
        public var countsAsApplied: Bool { self == .applied || self == .baseline }
    }

    public let version: Int64
    public let name: String
    public let checksum: String
    public let state: State
    /// Statements completed; for a failed migration outside a transaction, where it stopped.
    public let statementsDone: Int
    public let error: String?
    public let changedAt: Timestamp?
    public let executionMilliseconds: Int64?
    /// The host that ran it.
    public let appliedBy: String
    public let toolVersion: String

    init(row: Row) throws {
        version = try row.decode(Int64.self, "version")
        name = try row.decode(String.self, "name")
        checksum = try row.decode(String.self, "checksum").trimmingCharacters(in: .whitespaces)
        let stateText = try row.decode(String.self, "state")
        guard let state = State(rawValue: stateText) else {
            throw RowDecodingError(column: "state", value: .text(stateText), expectedType: "migration state")
        }
        self.state = state
        statementsDone = try row.decode(Int.self, "statements_done")
        error = try row.decode(String?.self, "error")
        changedAt = try row.decode(Timestamp?.self, "changed_at")
        executionMilliseconds = try row.decode(Int64?.self, "execution_ms")
        appliedBy = try row.decode(String.self, "applied_by")
        toolVersion = try row.decode(String.self, "tool_version")
    }
}
