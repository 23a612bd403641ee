import TaskWardenCore

/// Why a migration command stopped.
///
/// The kinds map one-to-one onto the CLI's exit codes, so a deploy pipeline can tell a lock
/// timeout (retry later) from drift (a human must look) from a failed migration.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// An applied migration's file changed or disappeared.
        public static let drift = Kind("drift")
        /// A migration failed or was interrupted; `migrate repair` clears it after a manual fix.
        public static let dirty = Kind("dirty")
        /// The migration lock was not acquired within `--lock-timeout`.
        public static let lockTimeout = Kind("lock timeout")
        /// The lease was taken over while migrations ran.
        public static let lockLost = Kind("lock lost")
        /// A statement of a migration failed just now.
        public static let failed = Kind("failed")
        /// The request cannot be carried out as asked (unknown version, no down section, ...).
        public static let invalidRequest = Kind("invalid request")
        public var description: String { name }
    }

    public let kind: Kind
    public let message: String
    /// The database error behind a ``Kind/failed`` migration.
    public let underlying: DatabaseError?

    public init(_ kind: Kind, _ message: String, underlying: DatabaseError? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
