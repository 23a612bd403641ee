import CSQLite
import TaskWardenCore

/// Maps SQLite result codes onto TaskWarden's error categories.
///
/// Extended codes carry the primary code in their low byte (https://sqlite.org/rescode.html).
enum SQLiteErrorClassifier {
    ///
    /// SQLite reports a missing table as a plain `SQLITE_ERROR`; its message, which SQLite
    /// words itself and does not translate, is the only sign.
    static func category(resultCode: Int32, message: String) -> DatabaseError.Category {
        switch resultCode & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CONSTRAINT: .constraintViolation
        case SQLITE_INTERRUPT: .timeout
        case SQLITE_AUTH: .authentication
        case SQLITE_ERROR where message.hasPrefix("no such table"): .undefinedTable
        default: .other
        }
    }
}
