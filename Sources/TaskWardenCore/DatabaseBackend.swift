/// The database systems TaskWarden speaks to.
///
/// MariaDB and MySQL share one backend: they share a client library and a wire protocol, and
/// what differs between them is described by the connection's ``SQLDialect``.
public enum DatabaseBackend: String, Sendable, Hashable, CaseIterable, Codable {
    case postgresql
    case mysql
    case sqlite

    /// The name shown to people.
    public var displayName: String {
        switch self {
        case .postgresql: "PostgreSQL"
        case .mysql: "MySQL/MariaDB"
        case .sqlite: "SQLite"
        }
    }
}
