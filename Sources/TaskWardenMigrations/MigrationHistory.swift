import Foundation
import TaskWardenCore
import TaskWardenSQL

/// Reads and writes one set's rows of the history table, with the SQL of `sql/schema_history/`.
struct MigrationHistory {
    let connection: any DatabaseConnection
    let setName: String
    let host: String
    let toolVersion: String

    private func template(_ name: String) -> SQLTemplate {
        EmbeddedSQL.template("schema_history/\(name)", for: connection.dialect)
    }

    /// Creates the history tables if they do not exist. Call it under the migration lock.
    func createTables() throws {
        for statement in EmbeddedSQL.script("schema_history/create_tables", for: connection.dialect) {
            try connection.execute(statement, [])
        }
    }

    /// The set's records in version order, or `nil` when the history table does not exist yet.
    func read() throws -> [MigrationRecord]? {
        do {
            return try connection.query(template("select"), ["migration_set": .text(setName)]).map(MigrationRecord.init(row:))
        } catch let error as DatabaseError where error.isUndefinedTable {
            return nil
        }
    }

    func insert(
        _ migration: Migration, state: MigrationRecord.State, statementsDone: Int, error: String? = nil,
        executionMilliseconds: Int64? = nil
    ) throws {
        try connection.execute(
            template("insert"),
            [
                "migration_set": .text(setName), "version": .integer(migration.version), "name": .text(migration.name),
                "checksum": .text(migration.checksum), "state": .text(state.rawValue),
                "statements_done": .integer(Int64(statementsDone)), "error": error.map(DatabaseValue.text) ?? .null,
                "execution_ms": executionMilliseconds.map(DatabaseValue.integer) ?? .null,
                "applied_by": .text(host), "tool_version": .text(toolVersion),
            ])
    }

    func updateState(
        version: Int64, state: MigrationRecord.State, statementsDone: Int, error: String? = nil,
        executionMilliseconds: Int64? = nil
    ) throws {
        try connection.execute(
            template("update_state"),
            [
                "migration_set": .text(setName), "version": .integer(version), "state": .text(state.rawValue),
                "statements_done": .integer(Int64(statementsDone)), "error": error.map(DatabaseValue.text) ?? .null,
                "execution_ms": executionMilliseconds.map(DatabaseValue.integer) ?? .null,
                "applied_by": .text(host), "tool_version": .text(toolVersion),
            ])
    }

    func delete(version: Int64) throws {
        try connection.execute(template("delete"), ["migration_set": .text(setName), "version": .integer(version)])
    }

    func updateChecksum(version: Int64, checksum: String) throws {
        try connection.execute(
            template("update_checksum"),
            ["migration_set": .text(setName), "version": .integer(version), "checksum": .text(checksum)])
    }

    /// Appends to the audit log.
    func logEvent(version: Int64, action: String, checksum: String?, detail: String?) throws {
        try connection.execute(
            template("insert_event"),
            [
                "migration_set": .text(setName), "version": .integer(version), "action": .text(action),
                "checksum": checksum.map(DatabaseValue.text) ?? .null, "detail": detail.map(DatabaseValue.text) ?? .null,
                "host": .text(host), "tool_version": .text(toolVersion),
            ])
    }
}
