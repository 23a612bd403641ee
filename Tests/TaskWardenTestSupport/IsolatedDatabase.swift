import Foundation
import TaskWarden

/// A database of its own for one test, so tests that create TaskWarden's tables can run in
/// parallel: a new database on the PostgreSQL or MySQL test server, a new file for SQLite.
public struct IsolatedDatabase: Sendable {
    public let backend: TestBackend
    /// The URL text, password included, for passing to the CLI.
    public let urlString: String
    private let name: String?

    public var url: DatabaseURL { get throws { try DatabaseURL(parsing: urlString) } }

    /// Creates the database. Call ``drop()`` when done (SQLite files live in a temp folder).
    public static func create(_ backend: TestBackend, parameters: [String: String] = [:]) throws -> IsolatedDatabase {
        let base = try backend.makeURLString(parameters: parameters)
        guard backend != .sqlite else { return IsolatedDatabase(backend: backend, urlString: base, name: nil) }
        let name = uniqueTableName("tw_db")
        let admin = try DatabaseDrivers.connect(base)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)", [])
        var components = try URLComponents(string: base).orThrow()
        components.path = "/\(name)"
        return IsolatedDatabase(backend: backend, urlString: try components.string.orThrow(), name: name)
    }

    /// Opens a connection to the database.
    public func connect() throws -> any DatabaseConnection {
        try DatabaseDrivers.connect(try url)
    }

    /// Drops the database (closing other sessions to it on PostgreSQL).
    public func drop() {
        guard let name, let admin = try? backend.connect() else { return }
        defer { admin.close() }
        if backend == .postgresql {
            _ = try? admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [.text(name)])
        }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)", [])
    }
}

extension Optional {
    func orThrow() throws -> Wrapped {
        guard let self else { throw FixtureMissing() }
        return self
    }
}

struct FixtureMissing: Error {}
