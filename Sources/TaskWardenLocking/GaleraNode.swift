import TaskWardenCore
import TaskWardenSQL

/// A MariaDB server that is a node of a Galera cluster, with the write-set limits of its cluster.
///
/// Galera changes what a single-server tool may take for granted: `GET_LOCK` holds only on the
/// node that granted it (MDEV-30473), so a session lock there locks out nobody on the other
/// nodes, and one transaction may write at most `wsrep_max_ws_rows` rows and
/// `wsrep_max_ws_size` bytes. ``detect(on:)`` finds out once per command; TaskWarden then holds
/// its locks as lease rows (``DatabaseLockMode/resolved(for:)``) and caps its batches
/// (``batchLimit(rowsPerRun:)``).
public struct GaleraNode: Sendable, Hashable {
    /// `wsrep_max_ws_rows`: rows one transaction may write; `nil` when unlimited (0).
    public var maxWriteSetRows: Int?
    /// `wsrep_max_ws_size`: bytes of one transaction's write set.
    public var maxWriteSetBytes: Int?

    public init(maxWriteSetRows: Int?, maxWriteSetBytes: Int?) {
        self.maxWriteSetRows = maxWriteSetRows
        self.maxWriteSetBytes = maxWriteSetBytes
    }

    /// The node `connection` talks to, or `nil` when it is no Galera node (PostgreSQL, SQLite,
    /// MySQL, a MariaDB with wsrep off or without a provider).
    public static func detect(on connection: any DatabaseConnection) throws -> GaleraNode? {
        guard connection.backend == .mysql, connection.dialect.isMariaDB else { return nil }
        guard let row = try connection.query(SQL.Locks.GaleraSettings()).first else { return nil }
        return node(
            wsrepOn: try row.decode(String?.self, .wsrepOn), provider: try row.decode(String?.self, .wsrepProvider),
            maxRows: try row.decode(String?.self, .maxWsRows), maxSize: try row.decode(String?.self, .maxWsSize))
    }

    /// The node the server's variables describe, or `nil` when they describe none.
    static func node(wsrepOn: String?, provider: String?, maxRows: String?, maxSize: String?) -> GaleraNode? {
        guard wsrepOn?.uppercased() == "ON", let provider, !provider.isEmpty, provider.lowercased() != "none" else { return nil }
        func limit(_ text: String?) -> Int? { text.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
        return GaleraNode(maxWriteSetRows: limit(maxRows), maxWriteSetBytes: limit(maxSize))
    }

    /// The bytes one written row is assumed to add to a write set, for the size limit: a task
    /// row with its result and error text, its keys, and Galera's overhead, rounded up.
    public static let assumedBytesPerRow = 4_096

    /// The largest batch whose write set stays under the cluster's limits when each run of the
    /// batch writes `rowsPerRun` rows (a purge with an archive copies and deletes: 2; a bulk
    /// change journals and changes, and may follow a parent: 3); `nil` when nothing limits it.
    ///
    /// A tenth of the row limit is left free, and the size limit is judged at twice
    /// ``assumedBytesPerRow``: running into either fails the whole batch, while a smaller batch
    /// costs only a few more round trips.
    public func batchLimit(rowsPerRun: Int) -> Int? {
        let perRun = max(1, rowsPerRun)
        let byRows = maxWriteSetRows.map { max(1, $0 * 9 / 10 / perRun) }
        let byBytes = maxWriteSetBytes.map { max(1, $0 / (perRun * Self.assumedBytesPerRow * 2)) }
        switch (byRows, byBytes) {
        case let (rows?, bytes?): return min(rows, bytes)
        case let (rows, bytes): return rows ?? bytes
        }
    }
}

extension GaleraNode {
    /// Runs `body` with causal reads on `connection` (`wsrep_sync_wait = 1`): each read first
    /// waits until the node has applied every write set the cluster committed before it. The
    /// session's setting is put back afterwards.
    ///
    /// For decisions about another node's commits: after a node dies mid-`COMMIT`, its last
    /// write set may have committed on the cluster yet still wait in this node's apply queue.
    public static func withCausalReads<T>(on connection: any DatabaseConnection, _ body: () throws -> T) throws -> T {
        let previous = try connection.query(SQL.Locks.GaleraSyncWaitRead()).first?.decode(Int.self, .previous) ?? 0
        try connection.execute(SQL.Locks.GaleraSyncWait(mask: 1))
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? connection.execute(SQL.Locks.GaleraSyncWait(mask: previous))
            throw error
        }
        try connection.execute(SQL.Locks.GaleraSyncWait(mask: previous))
        return result
    }
}
