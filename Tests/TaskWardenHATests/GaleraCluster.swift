import Foundation
import TaskWarden
import TaskWardenTestSupport

/// The three-node Galera cluster `scripts/ha/galera.sh` started: its nodes' URLs, and a way to
/// kill and restart a node.
struct GaleraCluster: Sendable {
    /// Node URLs, index 0 for node 1.
    let urls: [String]
    /// `bash .../galera-node.sh DIR`: append an action and a node number.
    let nodeCommand: String
    /// The cluster's `wsrep_max_ws_rows`.
    let maxWriteSetRows: Int

    static func fromEnvironment() throws -> GaleraCluster {
        let urls = try (1...3).map { try HATopology.required("TASKWARDEN_TEST_GALERA_URL_\($0)") }
        let rows = try HATopology.required("TASKWARDEN_TEST_GALERA_MAX_WS_ROWS")
        return GaleraCluster(
            urls: urls, nodeCommand: try HATopology.required("TASKWARDEN_TEST_GALERA_NODE_COMMAND"), maxWriteSetRows: Int(rows) ?? 0)
    }

    /// A new database for one test, created through node 1 (DDL replicates to every node), and
    /// its URL on each node.
    func database() throws -> GaleraDatabase {
        let name = uniqueTableName("tw_galera")
        let admin = try DatabaseDrivers.connect(urls[0])
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)", [])
        // The other nodes apply the DDL in the cluster's order, shortly after node 1: wait
        // until they have, or connecting to the database through them could fail.
        for url in urls.dropFirst() {
            let node = try DatabaseDrivers.connect(url)
            defer { node.close() }
            try node.execute("SET SESSION wsrep_sync_wait = 1", [])
            _ = try node.query("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [.text(name)])
        }
        let urls = try urls.map { text in
            var components = try URLComponents(string: text).orThrow()
            components.path = "/\(name)"
            return try components.string.orThrow()
        }
        return GaleraDatabase(name: name, urls: urls, cluster: self)
    }

    /// Runs `galera-node.sh DIR action node`, failing on a non-zero status; at most 120 s.
    func node(_ action: String, _ node: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\(nodeCommand) \(action) \(node)"]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw NodeCommandFailed(action: action, node: node, status: nil)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        guard process.terminationStatus == 0 else { throw NodeCommandFailed(action: action, node: node, status: process.terminationStatus) }
    }

    /// Sends SIGKILL to `node`'s mariadbd at once, from this process: `node("kill", _)` starts
    /// a shell first, too slow to land inside a window of a few milliseconds.
    /// `node("restart", _)` starts it again.
    func killNow(_ node: Int) throws {
        let directory = try nodeCommand.split(separator: " ").last.map(String.init).orThrow()
        let text = try String(contentsOfFile: "\(directory)/node\(node)/launcher.pid", encoding: .utf8)
        let pid = try Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)).orThrow()
        guard kill(pid, SIGKILL) == 0 else { throw NodeCommandFailed(action: "SIGKILL", node: node, status: errno) }
    }

    struct NodeCommandFailed: Error, CustomStringConvertible {
        let action: String
        let node: Int
        let status: Int32?
        var description: String { "galera-node.sh \(action) \(node) " + (status.map { "failed with \($0)" } ?? "took longer than 120 s") }
    }
}

/// A database of its own on the cluster, reachable through each node.
struct GaleraDatabase: Sendable {
    let name: String
    /// The database's URL on node 1, 2 and 3 (index 0, 1, 2).
    let urls: [String]
    let cluster: GaleraCluster

    func url(node: Int) -> String { urls[node - 1] }

    /// A connection through `node` whose reads wait until the node has applied every write the
    /// cluster committed before them (`wsrep_sync_wait = 1`), so a check sees the whole cluster.
    func connect(node: Int) throws -> any DatabaseConnection {
        let connection = try DatabaseDrivers.connect(url(node: node))
        try connection.execute("SET SESSION wsrep_sync_wait = 1", [])
        return connection
    }

    /// Inserts `count` runs of `status` finished `daysAgo` days ago, through `node`, in
    /// statements of 200 rows: each its own write set, well under the cluster's row limit.
    func seed(_ count: Int, status: String, daysAgo: Int = 100, node: Int = 1) throws {
        let db = try connect(node: node)
        defer { db.close() }
        var index = 0
        while index < count {
            let rows = (index..<min(count, index + 200)).map { n in
                "('job', '\(status)', NOW(6) - INTERVAL \(daysAgo) DAY, NOW(6) - INTERVAL \(daysAgo) DAY + INTERVAL \(n) SECOND, '{\"n\": \(n)}')"
            }
            try db.execute(
                "INSERT INTO task_runs (kind, status, started_at, finished_at, payload) VALUES \(rows.joined(separator: ", "))", [])
            index += rows.count
        }
        settle()
    }

    /// Waits until every live node has applied what the cluster committed so far (a causal
    /// read on each), so that a command run through any node next sees it.
    func settle() {
        for node in 1...3 {
            guard let connection = try? connect(node: node) else { continue }
            _ = try? connection.query("SELECT COUNT(*) FROM task_runs", [])
            connection.close()
        }
    }

    func drop() {
        guard let admin = try? DatabaseDrivers.connect(cluster.urls[1]) else { return }
        defer { admin.close() }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)", [])
    }
}

extension Optional {
    func orThrow() throws -> Wrapped {
        guard let self else { throw MissingValue() }
        return self
    }
}

struct MissingValue: Error {}
