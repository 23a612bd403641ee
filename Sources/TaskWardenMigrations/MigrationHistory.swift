import Foundation
import TaskWardenCore
import TaskWardenSQL

/// Reads and writes one set's rows of the history table, with the SQL of `sql/schema_history/`.
struct MigrationHistory {
    let connection: any DatabaseConnection
    let setName: String
    let host: String
    let toolVersion: String

    /// Creates the history tables if they do not exist. Call it under the migration lock.
    func createTables() throws {
        try connection.executeScript(SQL.SchemaHistory.CreateTables())
    }

    /// The set's records in version order, or `nil` when the history table does not exist yet.
    func read() throws -> [MigrationRecord]? {
        do {
            return try connection.query(SQL.SchemaHistory.Select(migrationSet: .text(setName))).map { try MigrationRecord(row: $0.raw) }
        } catch let error as DatabaseError where error.isUndefinedTable {
            return nil
        }
    }

    /// Records `migration`; with `replacing`, first removes its earlier record (a repeatable
    /// migration that runs again).
    func insert(
        _ migration: Migration, replacing: Bool = false, state: MigrationRecord.State, statementsDone: Int, error: String? = nil,
        executionMilliseconds: Int64? = nil
    ) throws {
        if replacing { try delete(version: migration.version) }
        try connection.execute(
            SQL.SchemaHistory.Insert(
                migrationSet: .text(setName), version: .integer(migration.version), name: .text(migration.name),
                checksum: .text(migration.checksum), state: .text(state.rawValue), statementsDone: .integer(Int64(statementsDone)),
                error: error.map(DatabaseValue.text) ?? .null, executionMs: executionMilliseconds.map(DatabaseValue.integer) ?? .null,
                appliedBy: .text(host), toolVersion: .text(toolVersion)))
    }

    func updateState(
        version: Int64, state: MigrationRecord.State, statementsDone: Int, error: String? = nil,
        executionMilliseconds: Int64? = nil
    ) throws {
        try connection.execute(
            SQL.SchemaHistory.UpdateState(
                state: .text(state.rawValue), statementsDone: .integer(Int64(statementsDone)),
                error: error.map(DatabaseValue.text) ?? .null, executionMs: executionMilliseconds.map(DatabaseValue.integer) ?? .null,
                appliedBy: .text(host), toolVersion: .text(toolVersion), migrationSet: .text(setName), version: .integer(version)))
    }

    func delete(version: Int64) throws {
        try connection.execute(SQL.SchemaHistory.Delete(migrationSet: .text(setName), version: .integer(version)))
    }

    func updateChecksum(version: Int64, checksum: String) throws {
        try connection.execute(
            SQL.SchemaHistory.UpdateChecksum(checksum: .text(checksum), migrationSet: .text(setName), version: .integer(version)))
    }

    /// Appends to the audit log.
    func logEvent(version: Int64, action: String, checksum: String?, detail: String?) throws {
        try connection.execute(
            SQL.SchemaHistory.InsertEvent(
                migrationSet: .text(setName), version: .integer(version), action: .text(action),
                checksum: checksum.map(DatabaseValue.text) ?? .null, detail: detail.map(DatabaseValue.text) ?? .null,
                host: .text(host), toolVersion: .text(toolVersion)))
    }
}
