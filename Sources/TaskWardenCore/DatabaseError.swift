import Foundation

/// An error reported by a database or its client library.
///
/// It carries what the backend said (SQLSTATE, vendor code, message) and a ``Category`` that
/// says what kind of failure it is. Retry decisions are made on the category alone, so every
/// driver maps its codes onto the same small set.
public struct DatabaseError: Error, Sendable, Hashable {
    /// What kind of failure an error is, independent of the backend.
    ///
    /// A struct rather than an enum so that later categories do not break exhaustive switches
    /// in callers' code.
    public struct Category: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionLost = "connection lost"
            case timeout
            case lockTimeout = "lock timeout"
            case deadlock
            case busy
            case constraintViolation = "constraint violation"
            case authentication
            case undefinedTable = "undefined table"
            case readOnly = "read-only server"
            case other
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The session is gone or could not be established: refused, unreachable, dropped,
        /// killed, or the server shut down. The statement's outcome may be unknown.
        public static let connectionLost = Category(.connectionLost)
        /// A statement or read ran out of time.
        public static let timeout = Category(.timeout)
        /// A lock wait ran out of time (`lock_timeout`, `innodb_lock_wait_timeout`,
        /// `lock_wait_timeout`, `NOWAIT`): another session holds what the statement needs.
        public static let lockTimeout = Category(.lockTimeout)
        /// A deadlock or serialization failure: the transaction was rolled back and may be re-run.
        public static let deadlock = Category(.deadlock)
        /// SQLite's `SQLITE_BUSY` or `SQLITE_LOCKED`: another connection holds the lock.
        public static let busy = Category(.busy)
        /// A unique, foreign-key, not-null or check constraint refused the change.
        public static let constraintViolation = Category(.constraintViolation)
        /// The server refused the credentials.
        public static let authentication = Category(.authentication)
        /// A table the statement names does not exist (never migrated, a wrong mapping).
        ///
        /// Classified by the driver, from the backend's own code, so that callers can tell
        /// "never migrated" from a real failure without reading the message.
        public static let undefinedTable = Category(.undefinedTable)
        /// The session is on a server that refuses writes: a PostgreSQL standby (SQLSTATE 25006,
        /// `read_only_sql_transaction`), typically the old primary after a failover, or a
        /// host a multi-host URL picked without `target_session_attrs=read-write`.
        ///
        /// Transient, and worth a *new* connection: a retry reconnects, and libpq's
        /// `target_session_attrs=read-write` then finds the server that is primary now. The
        /// statement changed nothing.
        public static let readOnly = Category(.readOnly)
        /// Anything else: syntax errors, permissions, bad data.
        public static let other = Category(.other)

        public var description: String { base.rawValue }

        /// Whether re-running the work on a fresh session may succeed.
        ///
        /// True for lost connections, timeouts, deadlocks and busy databases. Whether it is
        /// *safe* to re-run depends on the work: see the retry rules in `docs/`.
        public var isTransient: Bool {
            switch base {
            case .connectionLost, .timeout, .lockTimeout, .deadlock, .busy, .readOnly: true
            case .constraintViolation, .authentication, .undefinedTable, .other: false
            }
        }

        /// Whether the session that reported it is of no further use: lost, or on a server
        /// that refuses writes. Pools and queues close it and retry on a new one.
        public var needsNewConnection: Bool {
            base == .connectionLost || base == .readOnly
        }
    }

    public let backend: DatabaseBackend
    public let category: Category
    /// The five-character SQLSTATE, where the backend reports one.
    public let sqlState: String?
    /// The backend's own number: MySQL's errno or SQLite's extended result code.
    public let vendorCode: Int?
    public let message: String
    /// The statement that failed, if any. Parameters are not kept: they may hold user data.
    public let sql: String?

    public init(
        backend: DatabaseBackend, category: Category, sqlState: String? = nil,
        vendorCode: Int? = nil, message: String, sql: String? = nil
    ) {
        self.backend = backend
        self.category = category
        self.sqlState = sqlState
        self.vendorCode = vendorCode
        self.message = message
        self.sql = sql
    }

    /// A copy that names `sql` as the failed statement.
    public func with(sql: String?) -> DatabaseError {
        DatabaseError(
            backend: backend, category: category, sqlState: sqlState, vendorCode: vendorCode,
            message: message, sql: sql)
    }
}

extension DatabaseError: CustomStringConvertible {
    /// One line: the backend, the codes, and the message.
    public var description: String {
        var codes: [String] = []
        if let sqlState { codes.append("SQLSTATE \(sqlState)") }
        if let vendorCode { codes.append("code \(vendorCode)") }
        let suffix = codes.isEmpty ? "" : " [\(codes.joined(separator: ", "))]"
        return "\(backend.displayName): \(message.oneLine)\(suffix)"
    }
}

extension String {
    /// The text with its line breaks and runs of spaces folded into single spaces.
    ///
    /// Client libraries return multi-line messages; TaskWarden promises one-line errors.
    package var oneLine: String {
        split(whereSeparator: { $0.isNewline || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

extension DatabaseError {
    /// Whether the statement failed because a table it names does not exist.
    ///
    /// Used to tell "never migrated" from a real failure with one read instead of two.
    public var isUndefinedTable: Bool { category == .undefinedTable }
}
