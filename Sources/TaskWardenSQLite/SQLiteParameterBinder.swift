import CSQLite
import TaskWardenCore

/// Binds ``DatabaseValue``s to a prepared statement's parameters.
struct SQLiteParameterBinder {
    let statement: OpaquePointer

    func bind(_ parameters: [DatabaseValue], sql: String, error: (Int32) -> DatabaseError) throws {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(
                backend: .sqlite, category: .other,
                message: "the statement takes \(expected) parameters but \(parameters.count) were given", sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .integer(let integer): status = sqlite3_bind_int64(statement, index, integer)
            case .double(let double): status = sqlite3_bind_double(statement, index, double)
            case .text(let text): status = bindText(text, at: index)
            case .timestamp(let timestamp): status = bindText(timestamp.sqlText, at: index)
            case .bytes(let bytes):
                status = bytes.withUnsafeBytes { raw in
                    tw_sqlite3_bind_blob_copy(statement, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count))
                }
            }
            guard status == SQLITE_OK else { throw error(status) }
        }
    }

    private func bindText(_ text: String, at index: Int32) -> Int32 {
        // Explicit byte counts keep text with NUL characters whole.
        var text = text
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else {
                    // An empty buffer may have no address, and a NULL pointer would bind NULL, not ''.
                    return "".withCString { tw_sqlite3_bind_text_copy(statement, index, $0, 0) }
                }
                return tw_sqlite3_bind_text_copy(statement, index, base, Int32(chars.count))
            }
        }
    }
}
