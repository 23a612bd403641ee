import Foundation
import TaskWarden

/// A backend the tests run against, with the URL of its test server.
///
/// PostgreSQL and MySQL come from `TASKWARDEN_TEST_POSTGRES_URL` and `TASKWARDEN_TEST_MYSQL_URL`,
/// which `scripts/test.sh` sets after starting throw-away servers. A missing URL fails the test
/// that needs it, with a message saying how to provide one: no backend is ever skipped.
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case postgresql
    case mysql
    case sqlite

    public var description: String { rawValue }

    public static let postgresURLVariable = "TASKWARDEN_TEST_POSTGRES_URL"
    public static let mysqlURLVariable = "TASKWARDEN_TEST_MYSQL_URL"

    /// The URL text of a database for one test, password included, with `parameters` added.
    /// SQLite gets a new file in a new temporary folder.
    public func makeURLString(parameters: [String: String] = [:]) throws -> String {
        var text: String
        switch self {
        case .postgresql: text = try Self.required(Self.postgresURLVariable)
        case .mysql: text = try Self.required(Self.mysqlURLVariable)
        case .sqlite: text = "sqlite://" + (try TemporaryDirectory.make().appending("test.sqlite"))
        }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            text += (text.contains("?") ? "&" : "?") + "\(name)=\(value)"
        }
        return text
    }

    /// The URL of a database for one test.
    public func makeURL(parameters: [String: String] = [:]) throws -> DatabaseURL {
        try DatabaseURL(parsing: try makeURLString(parameters: parameters))
    }

    /// Opens a connection to the test database of this backend.
    public func connect(parameters: [String: String] = [:]) throws -> any DatabaseConnection {
        try DatabaseDrivers.connect(try makeURL(parameters: parameters))
    }

    /// The value of an environment variable `scripts/test.sh` sets; a missing one fails the test.
    public static func required(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw MissingTestServer(variable: variable)
        }
        return value
    }
}

/// The test server's URL was not given.
public struct MissingTestServer: Error, CustomStringConvertible {
    public let variable: String
    public var description: String {
        "\(variable) is not set: run the tests with scripts/test.sh, which starts throw-away servers, or set it to a test database URL"
    }
}

/// A unique name for a test's table, so tests can run in parallel on one database.
public func uniqueTableName(_ prefix: String = "tw_test") -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
}
