/// What differs between the SQL of the connected server and that of the others.
///
/// Operations choose their SQL file by ``directoryName`` and consult the flags here for the few
/// decisions made at run time. Flags describe the *connected server*, so MariaDB 10.5 and
/// MySQL 8.4 get different answers through the same driver.
public struct SQLDialect: Sendable, Hashable {
    /// How a statement refers to its bound parameters.
    public enum PlaceholderStyle: Sendable, Hashable {
        /// `$1`, `$2`, ... (PostgreSQL).
        case dollarNumbered
        /// `?` (MySQL, SQLite).
        case questionMark
    }

    /// Which statements accept a `RETURNING` clause.
    public struct ReturningSupport: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let insert = ReturningSupport(rawValue: 1)
        public static let update = ReturningSupport(rawValue: 2)
        public static let delete = ReturningSupport(rawValue: 4)
        public static let all: ReturningSupport = [.insert, .update, .delete]
    }

    /// How a process takes a lock that other processes honour.
    public enum LockingStyle: Sendable, Hashable {
        /// `pg_try_advisory_lock` and friends, held by the session.
        case advisoryLock
        /// `GET_LOCK(name, timeout)`, held by the session.
        case namedLock
        /// No lock functions: the database file lock (`BEGIN IMMEDIATE`) serializes writers.
        case databaseFileLock
    }

    public let backend: DatabaseBackend
    /// `true` for MariaDB, `false` for Oracle MySQL and the other backends.
    public let isMariaDB: Bool
    public let placeholderStyle: PlaceholderStyle
    public let returning: ReturningSupport
    /// Whether `DELETE ... LIMIT n` is accepted.
    public let supportsDeleteLimit: Bool
    /// Whether `SELECT ... FOR UPDATE SKIP LOCKED` is accepted.
    public let supportsSkipLocked: Bool
    public let locking: LockingStyle
    /// The character that quotes identifiers: `"` or a backtick.
    public let identifierQuote: Character
    /// The statement that opens a write transaction.
    public let beginTransactionSQL: String

    package init(
        backend: DatabaseBackend, isMariaDB: Bool = false, placeholderStyle: PlaceholderStyle,
        returning: ReturningSupport, supportsDeleteLimit: Bool, supportsSkipLocked: Bool,
        locking: LockingStyle, identifierQuote: Character, beginTransactionSQL: String
    ) {
        self.backend = backend
        self.isMariaDB = isMariaDB
        self.placeholderStyle = placeholderStyle
        self.returning = returning
        self.supportsDeleteLimit = supportsDeleteLimit
        self.supportsSkipLocked = supportsSkipLocked
        self.locking = locking
        self.identifierQuote = identifierQuote
        self.beginTransactionSQL = beginTransactionSQL
    }

    /// Whether DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite); MySQL
    /// commits implicitly before and after each DDL statement.
    public var hasTransactionalDDL: Bool { backend != .mysql }

    /// The folder under `migrations/` and `sql/` that holds this dialect's files.
    public var directoryName: String {
        switch backend {
        case .postgresql: "postgresql"
        case .mysql: "mysql"
        case .sqlite: "sqlite"
        }
    }

    /// The placeholder for the parameter at 1-based `position`.
    public func placeholder(_ position: Int) -> String {
        switch placeholderStyle {
        case .dollarNumbered: "$\(position)"
        case .questionMark: "?"
        }
    }

    /// `identifier` quoted for this dialect. Only call this with a validated ``SQLIdentifier``.
    public func quote(_ identifier: SQLIdentifier) -> String {
        identifier.parts.map { "\(identifierQuote)\($0)\(identifierQuote)" }.joined(separator: ".")
    }
}

extension SQLDialect: CustomStringConvertible {
    public var description: String {
        isMariaDB ? "MariaDB" : backend.displayName
    }
}
