import TaskWardenCore

/// Maps MySQL and MariaDB error numbers onto TaskWarden's error categories.
///
/// Client errors (2xxx) come from Connector/C; server errors from
/// https://mariadb.com/kb/en/mariadb-error-codes/ and MySQL's server error reference.
enum MySQLErrorClassifier {
    static func category(code: Int, sqlState: String?) -> DatabaseError.Category {
        switch code {
        case 2002, 2003, 2005, 2006, 2013, 2055, 4031, 1927, 1053, 1040, 1152, 1158, 1159, 1160, 1161:
            // can't connect (socket, TCP, unknown host), server gone away, lost during query,
            // lost at system call, disconnected for inactivity (MySQL 8), connection killed
            // (MariaDB), shutdown in progress, too many connections, aborted / network errors.
            return .connectionLost
        case 1047:
            // Galera: "WSREP has not yet prepared node for application use": the node is not
            // (or no longer) in the cluster's primary component, a lost server for the client.
            return .connectionLost
        case 1213:
            // Also Galera's failed certification at COMMIT and its brute-force aborts: the
            // transaction was rolled back whole, and may be run again.
            return .deadlock
        case 1205, 3572: return .lockTimeout  // lock wait timeout (row and metadata locks), NOWAIT
        case 3024, 1969: return .timeout  // max_execution_time, max_statement_time
        case 1062, 1451, 1452, 1048, 1216, 1217, 1557, 1586, 3819, 4025: return .constraintViolation
        case 1045, 1698, 1044, 1251: return .authentication
        case 1146: return .undefinedTable  // table doesn't exist
        default: break
        }
        if let sqlState {
            if sqlState.hasPrefix("23") { return .constraintViolation }
            if sqlState.hasPrefix("08") { return .connectionLost }
            if sqlState == "40001" { return .deadlock }
        }
        return .other
    }

    static func error(code: Int, sqlState: String, message: String, sql: String?) -> DatabaseError {
        let state = sqlState.isEmpty || sqlState == "00000" ? nil : sqlState
        return DatabaseError(
            backend: .mysql, category: category(code: code, sqlState: state), sqlState: state,
            vendorCode: code == 0 ? nil : code,
            message: message.oneLine.isEmpty ? "unknown error" : message.oneLine, sql: sql)
    }
}
