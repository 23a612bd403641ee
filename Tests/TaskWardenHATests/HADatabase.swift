import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// A database of its own for one test on a topology, reached through the topology's URL.
///
/// Created through `adminURL` (the server itself, or a multi-host URL that finds the primary),
/// so that the database exists on the server before anything goes through a pooler; `urlString`
/// is the topology's URL with the new database's name in its path.
struct HADatabase: Sendable {
    let name: String
    /// The topology's URL for this database, password included, for the CLI.
    let urlString: String
    private let adminURL: String

    static func create(adminURL: String, topologyURL: String) throws -> HADatabase {
        let name = uniqueTableName("tw_ha")
        let admin = try DatabaseDrivers.connect(try DatabaseURL(parsing: adminURL))
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)", [])
        return HADatabase(name: name, urlString: replacingDatabase(in: topologyURL, with: name), adminURL: adminURL)
    }

    var url: DatabaseURL { get throws { try DatabaseURL(parsing: urlString) } }

    func connect() throws -> any DatabaseConnection {
        try DatabaseDrivers.connect(try url)
    }

    /// A URL to the same database through `other` (e.g. the server rather than the pooler).
    func url(through other: String) -> String {
        Self.replacingDatabase(in: other, with: name)
    }

    func drop() {
        guard let url = try? DatabaseURL(parsing: adminURL), let admin = try? DatabaseDrivers.connect(url) else { return }
        defer { admin.close() }
        _ = try? admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [.text(name)])
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)", [])
    }

    /// `url` with the path (the database name) replaced by `name`; host lists stay as written.
    static func replacingDatabase(in url: String, with name: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterAuthority = url[schemeEnd.upperBound...].firstIndex(of: "/") ?? url.endIndex
        let queryStart = url[afterAuthority...].firstIndex(of: "?") ?? url.endIndex
        return String(url[..<afterAuthority]) + "/" + name + String(url[queryStart...])
    }
}

/// Waits, polling every 100 ms, until `condition` holds; records an issue and throws after `seconds`.
func waitUntil(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("timed out after \(seconds) s waiting until \(what)")
    throw WaitTimedOut(what: what)
}

struct WaitTimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting until \(what)" }
}

/// Inserts `count` runs with `status`, started and finished 100 days ago, in one transaction.
func insertRuns(_ count: Int, status: String, into db: any DatabaseConnection, kind: String = "job") throws {
    let old = try DatabaseClock.now(on: db).adding(seconds: -100 * 86_400)
    try db.inTransaction { db in
        var inserted = 0
        while inserted < count {
            let chunk = min(500, count - inserted)
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at, finished_at, payload) SELECT $1, $2::text, $3, CASE WHEN $2::text = 'running' THEN NULL ELSE $3 + make_interval(secs => g) END, '{\"n\": ' || g || '}' FROM generate_series(1, $4::int) g",
                [.text(kind), .text(status), .timestamp(old), .integer(Int64(chunk))])
            inserted += chunk
        }
    }
}

/// The ids of a JSON-lines export file, in file order.
func exportedIDs(_ file: String) throws -> [Int64] {
    guard FileManager.default.fileExists(atPath: file) else { return [] }
    return try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require((object["id"] as? NSNumber)?.int64Value)
    }
}

/// A step that prepares a test failed.
struct SetupFailed: Error, CustomStringConvertible {
    let what: String
    let output: String
    var description: String { "\(what) failed: \(output)" }
}
