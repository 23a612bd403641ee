import TaskWardenCore

/// Maps PostgreSQL's SQLSTATEs onto TaskWarden's error categories.
///
/// See https://www.postgresql.org/docs/current/errcodes-appendix.html.
enum PostgreSQLErrorClassifier {
    static func category(sqlState: String?) -> DatabaseError.Category {
        guard let sqlState else { return .other }
        switch sqlState {
        case "57P01", "57P02", "57P03": return .connectionLost  // admin/crash shutdown, cannot connect now
        case "40001", "40P01": return .deadlock  // serialization failure, deadlock detected
        case "55P03": return .lockTimeout  // lock not available (lock_timeout, NOWAIT)
        case "57014": return .timeout  // query canceled (statement_timeout)
        case "53300": return .connectionLost  // too many connections: transient, like a refused connect
        case "42P01": return .undefinedTable
        case "25006": return .readOnly  // read_only_sql_transaction: a standby, or a demoted primary
        default: break
        }
        switch sqlState.prefix(2) {
        case "08": return .connectionLost
        case "23": return .constraintViolation
        case "28": return .authentication
        default: return .other
        }
    }

    /// Classifies a failed connection attempt, for which libpq gives a message but no SQLSTATE.
    static func connectFailureCategory(message: String, needsPassword: Bool) -> DatabaseError.Category {
        if needsPassword || message.contains("authentication failed") || message.contains("no password supplied")
            || message.contains("no pg_hba.conf entry")
        {
            return .authentication
        }
        if message.contains("does not exist") {
            return .other
        }
        return .connectionLost
    }
}
