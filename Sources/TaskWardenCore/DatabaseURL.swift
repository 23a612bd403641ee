import Foundation

/// Where a database is and how to reach it, parsed from a URL.
///
/// Accepted forms:
/// - `postgres://user:password@host:5432/db?sslmode=require` (also `postgresql://`)
/// - `mysql://user:password@host:3306/db?ssl-mode=REQUIRED` (also `mariadb://`)
/// - `sqlite:///absolute/path.db`, `sqlite:relative/path.db`, `sqlite::memory:`
///
/// The password is kept for the driver but never printed: `description`, ``redacted`` and
/// every error TaskWarden writes show `***` in its place.
public struct DatabaseURL: Sendable, Hashable {
    /// Where a SQLite database lives.
    public enum SQLiteLocation: Sendable, Hashable {
        case memory
        /// A file path, absolute or relative to the working directory.
        case file(String)
    }

    public let backend: DatabaseBackend
    /// The scheme as written (`postgres`, `postgresql`, `mysql`, `mariadb`, `sqlite`).
    public let scheme: String
    public let host: String?
    public let port: Int?
    public let user: String?
    public let password: String?
    /// The database name (PostgreSQL, MySQL).
    public let database: String?
    /// The SQLite file, for `sqlite:` URLs.
    public let sqliteLocation: SQLiteLocation?
    /// Query parameters in the order written; names are unique.
    public let parameters: [(name: String, value: String)]

    /// Parses `text`, or throws a ``DatabaseURLError`` that never repeats the password.
    public init(parsing text: String) throws(DatabaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else {
            throw DatabaseURLError(
                "not a database URL: expected postgres://, mysql:// or sqlite:... (got '\(Self.redact(trimmed))')")
        }
        let scheme = trimmed[..<colon].lowercased()
        switch scheme {
        case "postgres", "postgresql": self = try Self.parseNetwork(trimmed, scheme: scheme, backend: .postgresql)
        case "mysql", "mariadb": self = try Self.parseNetwork(trimmed, scheme: scheme, backend: .mysql)
        case "sqlite", "sqlite3": self = try Self.parseSQLite(String(trimmed[trimmed.index(after: colon)...]), scheme: scheme)
        default:
            throw DatabaseURLError(
                "unknown database URL scheme '\(scheme)': use postgres://, mysql://, mariadb:// or sqlite:")
        }
    }

    private init(
        backend: DatabaseBackend, scheme: String, host: String? = nil, port: Int? = nil,
        user: String? = nil, password: String? = nil, database: String? = nil,
        sqliteLocation: SQLiteLocation? = nil, parameters: [(name: String, value: String)]
    ) {
        self.backend = backend
        self.scheme = scheme
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sqliteLocation = sqliteLocation
        self.parameters = parameters
    }

    /// The value of query parameter `name`, if given.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    private static func parseNetwork(_ text: String, scheme: String, backend: DatabaseBackend) throws(DatabaseURLError) -> DatabaseURL {
        guard text.dropFirst(scheme.count).hasPrefix("://"),
            let components = URLComponents(string: text)
        else {
            throw DatabaseURLError(
                "malformed \(scheme) URL '\(redact(text))': expected \(scheme)://user:password@host:port/database (percent-encode special characters)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.contains("/") else {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': the path must be a single database name")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': port \(port) is out of range")
        }
        var host = components.host
        if let bracketed = host, bracketed.hasPrefix("["), bracketed.hasSuffix("]") {
            host = String(bracketed.dropFirst().dropLast())
        }
        return DatabaseURL(
            backend: backend, scheme: scheme, host: host.flatMap { $0.isEmpty ? nil : $0 },
            port: components.port, user: components.user.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password, database: database.isEmpty ? nil : database,
            parameters: try parseParameters(components.queryItems ?? [], in: text))
    }

    private static func parseSQLite(_ rest: String, scheme: String) throws(DatabaseURLError) -> DatabaseURL {
        var location = rest
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            location = String(rest[..<mark])
            query = String(rest[rest.index(after: mark)...])
        }
        let sqliteLocation: SQLiteLocation
        if location == ":memory:" {
            sqliteLocation = .memory
        } else if location.hasPrefix("///") {
            sqliteLocation = .file(String(location.dropFirst(2)))
        } else if location.hasPrefix("//") {
            throw DatabaseURLError(
                "malformed sqlite URL 'sqlite:\(location)': use sqlite:///absolute/path.db, sqlite:relative/path.db or sqlite::memory:")
        } else if location.isEmpty {
            throw DatabaseURLError("malformed sqlite URL: the file path is empty (e.g. sqlite:taskwarden.sqlite)")
        } else {
            sqliteLocation = .file(location)
        }
        var items: [URLQueryItem] = []
        if let query {
            var components = URLComponents()
            components.percentEncodedQuery = query
            items = components.queryItems ?? []
        }
        if case .file(let path) = sqliteLocation, let decoded = path.removingPercentEncoding, decoded != path {
            return DatabaseURL(
                backend: .sqlite, scheme: scheme, sqliteLocation: .file(decoded),
                parameters: try parseParameters(items, in: "sqlite:" + rest))
        }
        return DatabaseURL(
            backend: .sqlite, scheme: scheme, sqliteLocation: sqliteLocation,
            parameters: try parseParameters(items, in: "sqlite:" + rest))
    }

    private static func parseParameters(_ items: [URLQueryItem], in text: String) throws(DatabaseURLError) -> [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = []
        for item in items {
            guard !item.name.isEmpty else { continue }
            guard !parameters.contains(where: { $0.name == item.name }) else {
                throw DatabaseURLError("database URL '\(redact(text))' gives parameter '\(item.name)' twice")
            }
            parameters.append((item.name, item.value ?? ""))
        }
        return parameters
    }

    public static func == (lhs: DatabaseURL, rhs: DatabaseURL) -> Bool {
        lhs.redacted == rhs.redacted && lhs.password == rhs.password
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(redacted)
    }
}

/// A database URL that cannot be used, with a one-line reason that never shows a password.
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
