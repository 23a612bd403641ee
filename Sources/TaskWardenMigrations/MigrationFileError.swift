/// A migration file, or a folder of them, that cannot be used; names the file and why.
///
/// The kind lets callers tell a file with a mistake in it from a folder TaskWarden cannot
/// read as any one format, so that the message can say which formats were tried.
public struct MigrationFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, broadly.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The file is in a known format but breaks its rules (no up section, bad directive, ...).
        public static let invalid = Kind("invalid")
        /// The file matches none of the formats TaskWarden reads, or not the one forced.
        public static let unrecognized = Kind("unrecognized")
        /// The folder holds files of more than one format.
        public static let mixedFormats = Kind("mixed formats")
        /// The folder cannot be listed or read, or holds no migration.
        public static let unreadable = Kind("unreadable")
        public var description: String { name }
    }

    public let path: String
    public let reason: String
    public let kind: Kind

    public init(path: String, reason: String, kind: Kind = .invalid) {
        self.path = path
        self.reason = reason
        self.kind = kind
    }

    public var description: String { "\(path): \(reason)" }
}
