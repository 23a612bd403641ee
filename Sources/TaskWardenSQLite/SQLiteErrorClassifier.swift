import CSQLite
import TaskWardenCore

/// Maps SQLite result codes onto TaskWarden's error categories.
///
/// Extended codes carry the primary code in their low byte (https://sqlite.org/rescode.html).
enum SQLiteErrorClassifier {
    static func category(resultCode: Int32) -> DatabaseError.Category {
        switch resultCode & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CONSTRAINT: .constraintViolation
        case SQLITE_INTERRUPT: .timeout
        case SQLITE_AUTH: .authentication
        default: .other
        }
    }
}
