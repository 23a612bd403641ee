import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// One run whose status TaskWarden changed (or, in a dry run, would change).
public struct ChangedRun: Sendable, Hashable {
    /// The table the run is in (a parent table's runs follow their children).
    public let table: String
    public let id: DatabaseValue
    public let oldStatus: String
    public let newStatus: String
}

extension TaskRuns {
    /// Requeueing while attempts remain reads the attempt columns: refuses a table without them.
    func checkCanRequeue() throws {
        guard table.has(.attempt) && table.has(.maxAttempts) else {
            throw MaintenanceError(.unmappedColumns([.attempt, .maxAttempts], table: table.name.description, purpose: .requeueing))
        }
    }

    /// Runs `body` in a write transaction, turning a missing journal table into a clear error.
    func journaled<T>(_ body: () throws -> T) throws -> T {
        try needingJournal {
            try connection.inTransaction { connection in
                try fence?(connection)
                return try body()
            }
        }
    }

    /// Runs `body`, which uses the journal table, naming the fix if that table is missing.
    func needingJournal<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.isUndefinedTable && error.sql?.contains("task_run_events") == true {
            throw MaintenanceError(.journalMissing)
        }
    }

    /// A new batch id: sortable by time, unique.
    static func newBatchID(now: Timestamp) -> String {
        let c = now.components
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
        return "\(stamp)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// The `old_values` JSON of a journal entry: a flat object of strings, numbers and nulls;
/// times as ISO-8601 text. Written by the database (`sql/bulk/journal.<dialect>.sql`,
/// `sql/undo/journal.<dialect>.sql`, `sql/undo/restore_page.postgresql.sql`), and by earlier
/// versions from Swift in the same form.
enum JournalValues {
    static func decode(_ text: String?) -> [String: DatabaseValue] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var values: [String: DatabaseValue] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: values[key] = .text(text)
            case let integer as Int: values[key] = .integer(Int64(integer))
            case let double as Double: values[key] = .double(double)
            default: values[key] = .null
            }
        }
        return values
    }
}
