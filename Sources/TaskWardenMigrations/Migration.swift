import TaskWardenCore

/// One migration: a numbered SQL file with an up section, and usually a down section.
///
/// File format (see `docs/migrations.md`):
///
/// ```sql
/// -- Adds the queue index.            (free text before the first marker is a header)
/// -- taskwarden:up
/// CREATE INDEX ...;
/// -- taskwarden:down
/// DROP INDEX ...;
/// ```
///
/// A `-- taskwarden:no-transaction` line anywhere in the file runs it statement by statement
/// outside a transaction, as `CREATE INDEX CONCURRENTLY` requires.
public struct Migration: Sendable, Hashable {
    /// The number the file name starts with; migrations run in increasing order.
    public let version: Int64
    /// The rest of the file name, without `.sql`.
    public let name: String
    /// Where the migration came from: a path relative to the repository for the built-in set,
    /// or a file path.
    public let path: String
    /// SHA-256 of the file with line endings normalised to LF and any BOM removed, in hex.
    public let checksum: String
    /// The statements of the up section, split for the dialect.
    public let upStatements: [String]
    /// The statements of the down section, or `nil` when the file has none.
    public let downStatements: [String]?
    /// `false` when the file says `-- taskwarden:no-transaction`.
    public let runsInTransaction: Bool

    public init(
        version: Int64, name: String, path: String, checksum: String, upStatements: [String],
        downStatements: [String]?, runsInTransaction: Bool
    ) {
        self.version = version
        self.name = name
        self.path = path
        self.checksum = checksum
        self.upStatements = upStatements
        self.downStatements = downStatements
        self.runsInTransaction = runsInTransaction
    }

    /// `0002 create_task_run_events`.
    public var displayName: String { "\(version) \(name)" }
}
