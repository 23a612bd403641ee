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
    /// `false` when the file says `-- taskwarden:no-transaction` (or its format's equivalent).
    public let runsInTransaction: Bool
    /// Versioned (runs once, in version order) or repeatable (Flyway's `R__`: runs after the
    /// versioned ones, again whenever its checksum changes).
    public let kind: Kind

    /// How a migration is scheduled.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Runs once, in version order.
        case versioned
        /// Runs after every versioned migration, and again whenever its file changes. Its
        /// version is derived from its name (negative, so it never mixes with real versions).
        case repeatable
    }

    public init(
        version: Int64, name: String, path: String, checksum: String, upStatements: [String],
        downStatements: [String]?, runsInTransaction: Bool, kind: Kind = .versioned
    ) {
        self.version = version
        self.name = name
        self.path = path
        self.checksum = checksum
        self.upStatements = upStatements
        self.downStatements = downStatements
        self.runsInTransaction = runsInTransaction
        self.kind = kind
    }

    /// `0002 create_task_run_events`, or `R refresh views` for a repeatable migration.
    public var displayName: String { kind == .repeatable ? "R \(name)" : "\(version) \(name)" }
}
