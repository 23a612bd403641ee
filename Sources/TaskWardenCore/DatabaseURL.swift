import Foundation

/// Where a database is and how to reach it, parsed from a URL.
///
/// Accepted forms:
/// - `postgres://user:password@host:5432/db?sslmode=require` (also `postgresql://`), and with
///   several hosts, `postgres://user:password@h1:5432,h2:5433/db?target_session_attrs=read-write`
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

    /// One server of a URL's host list: a host name or address, and its port if given.
    public struct Server: Sendable, Hashable {
        public let host: String
        public let port: Int?
        public init(host: String, port: Int?) {
            self.host = host
            self.port = port
        }
    }

    public let backend: DatabaseBackend
    /// The scheme as written (`postgres`, `postgresql`, `mysql`, `mariadb`, `sqlite`).
    public let scheme: String
    /// The first server's host (the only one, unless the URL lists several).
    public let host: String?
    /// The first server's port.
    public let port: Int?
    /// Every server the URL lists, in order: one for `host:port`, several for PostgreSQL's
    /// `h1:p1,h2:p2`, which libpq tries in turn (`target_session_attrs` says which it keeps).
    /// Empty when the URL names no host.
    public let servers: [Server]
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
        backend: DatabaseBackend, scheme: String, servers: [Server] = [],
        user: String? = nil, password: String? = nil, database: String? = nil,
        sqliteLocation: SQLiteLocation? = nil, parameters: [(name: String, value: String)]
    ) {
        self.backend = backend
        self.scheme = scheme
        self.servers = servers
        self.host = servers.first?.host
        self.port = servers.first?.port
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

    /// This URL with parameter `name` added, unless the URL already gives it.
    public func defaultingParameter(_ name: String, to value: String) -> DatabaseURL {
        guard parameter(name) == nil else { return self }
        return DatabaseURL(
            backend: backend, scheme: scheme, servers: servers, user: user, password: password, database: database,
            sqliteLocation: sqliteLocation, parameters: parameters + [(name, value)])
    }

    private static func parseNetwork(_ text: String, scheme: String, backend: DatabaseBackend) throws(DatabaseURLError) -> DatabaseURL {
        let form = "expected \(scheme)://user:password@host:port/database (percent-encode special characters)"
        let afterScheme = text.dropFirst(scheme.count)
        guard afterScheme.hasPrefix("://") else {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': \(form)")
        }
        let rest = afterScheme.dropFirst(3)
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        // An unencoded '/', '?' or '#' in a password ends the authority early, and the password's
        // tail would then be read as a path, a parameter or a fragment (and echoed in errors about
        // them). RFC 3986 allows '@' after the authority only in a parameter value: refusing it
        // there too keeps one reading of every URL.
        if rest[authorityEnd...].contains("@") {
            throw DatabaseURLError(
                "malformed \(scheme) URL '\(redact(text))': an '@' after the host; percent-encode '/', '?', '#' and '@' in a user name or password (%2F, %3F, %23, %40), and '@' in a parameter value as %40")
        }
        if rest[authorityEnd...].contains("#") {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': a '#' fragment; percent-encode '#' as %23")
        }
        // Several hosts (`h1:p1,h2:p2`): each is checked here, and Foundation, which knows only
        // one host, is given the first.
        let authority = rest[..<authorityEnd]
        let hostListStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hostList = authority[hostListStart...].split(separator: ",", omittingEmptySubsequences: false)
        if hostList.count > 1 {
            guard backend == .postgresql else {
                throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': several hosts (',') are supported for PostgreSQL only")
            }
            guard !hostList.contains(where: { $0.isEmpty || $0.hasPrefix(":") }) else {
                throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': an empty host in the host list; expected host1:port1,host2:port2")
            }
        }
        for part in hostList {
            try checkPort(of: part, in: text, scheme: scheme)
        }
        var foundationText = text
        if hostList.count > 1 {
            foundationText = String(text[..<hostListStart]) + hostList[0] + String(text[authorityEnd...])
        }
        guard let components = URLComponents(string: foundationText) else {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': \(form)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.contains("/") else {
            throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': the path must be a single database name")
        }
        var servers: [Server] = []
        if let host = unbracketed(components.host), !host.isEmpty {
            servers.append(Server(host: host, port: components.port))
        }
        for part in hostList.dropFirst() {
            guard let server = URLComponents(string: "\(scheme)://\(part)"), let host = unbracketed(server.host), !host.isEmpty else {
                throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': host '\(part.prefix(60))' in the host list")
            }
            servers.append(Server(host: host, port: server.port))
        }
        for (part, value) in [("user name", components.user), ("password", components.password), ("database name", database)]
            + servers.map({ ("host", $0.host) })
        {
            try refuseNUL(value, part: part, in: text, scheme: scheme)
        }
        return DatabaseURL(
            backend: backend, scheme: scheme, servers: servers, user: components.user.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password, database: database.isEmpty ? nil : database,
            parameters: try parseParameters(components.queryItems ?? [], in: text))
    }

    /// A host as Foundation gives it, without the brackets of an IPv6 address.
    private static func unbracketed(_ host: String?) -> String? {
        guard let host, host.hasPrefix("["), host.hasSuffix("]") else { return host }
        return String(host.dropFirst().dropLast())
    }

    /// Refuses a port that is not a number from 1 to 65535.
    ///
    /// Foundation reads a port it cannot represent as no port at all, so `:99999999999999999999`
    /// would silently mean the default port: the port text is checked here instead.
    private static func checkPort(of authority: Substring, in text: String, scheme: String) throws(DatabaseURLError) {
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return }
            let afterHost = hostPort[hostPort.index(after: close)...]
            portText = afterHost.hasPrefix(":") ? afterHost.dropFirst() : nil
        } else {
            portText = hostPort.lastIndex(of: ":").map { hostPort[hostPort.index(after: $0)...] }
        }
        guard let portText else { return }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65_535).contains(port) else {
            throw DatabaseURLError(
                "malformed \(scheme) URL '\(redact(text))': port '\(portText.prefix(24))' is not a number from 1 to 65535")
        }
    }

    /// Refuses a decoded part holding `%00`: the C client libraries would end the text there,
    /// and `prod.db%00.bak` would open `prod.db`.
    private static func refuseNUL(_ value: String?, part: String, in text: String, scheme: String) throws(DatabaseURLError) {
        guard let value, value.utf8.contains(0) else { return }
        throw DatabaseURLError("malformed \(scheme) URL '\(redact(text))': the \(part) contains a NUL character (%00)")
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
        var decodedLocation = sqliteLocation
        if case .file(let path) = sqliteLocation {
            let decoded = path.removingPercentEncoding ?? path
            try refuseNUL(decoded, part: "file path", in: "sqlite:" + rest, scheme: "sqlite")
            decodedLocation = .file(decoded)
        }
        return DatabaseURL(
            backend: .sqlite, scheme: scheme, sqliteLocation: decodedLocation,
            parameters: try parseParameters(items, in: "sqlite:" + rest))
    }

    private static func parseParameters(_ items: [URLQueryItem], in text: String) throws(DatabaseURLError) -> [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = []
        for item in items {
            guard !item.name.isEmpty else { continue }
            let shownName = String(item.name.prefix(40))
            guard !parameters.contains(where: { $0.name == item.name }) else {
                throw DatabaseURLError("database URL '\(redact(text))' gives parameter '\(shownName)' twice")
            }
            // An empty value would silently mean the client library's default: `sslmode=`
            // must not quietly become `prefer`.
            guard let value = item.value, !value.isEmpty else {
                throw DatabaseURLError("database URL '\(redact(text))' gives parameter '\(shownName)' no value")
            }
            guard !item.name.utf8.contains(0), !value.utf8.contains(0) else {
                throw DatabaseURLError("database URL '\(redact(text))': parameter '\(shownName)' contains a NUL character (%00)")
            }
            parameters.append((item.name, value))
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
