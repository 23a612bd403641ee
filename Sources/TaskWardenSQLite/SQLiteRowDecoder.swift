import CSQLite
import TaskWardenCore

/// Reads the current row of a statement as ``DatabaseValue``s.
struct SQLiteRowDecoder {
    private let statement: OpaquePointer
    private let columns: [String]
    /// Per column, whether its declared type says it holds time.
    private let declaredTime: [Bool]

    init(_ statement: OpaquePointer) {
        self.statement = statement
        let count = Int(sqlite3_column_count(statement))
        self.columns = (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        self.declaredTime = (0..<count).map { index in
            guard let declared = sqlite3_column_decltype(statement, Int32(index)) else { return false }
            let type = String(cString: declared).uppercased()
            return type.contains("TIMESTAMP") || type.contains("DATETIME")
        }
    }

    func row() -> Row {
        var values: [DatabaseValue] = []
        values.reserveCapacity(columns.count)
        for index in 0..<Int32(columns.count) {
            values.append(value(at: index))
        }
        return Row(columns: columns, values: values)
    }

    private func value(at index: Int32) -> DatabaseValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .double(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, index))
            let text = sqlite3_column_text(statement, index).map {
                String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
            } ?? ""
            if declaredTime[Int(index)], let timestamp = Timestamp(parsing: text) {
                return .timestamp(timestamp)
            }
            return .text(text)
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .bytes([]) }
            return .bytes(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
