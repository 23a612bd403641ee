/// Why a lock could not be set up.
///
/// Library code reports misuse as an error rather than trapping: the caller may be a
/// long-running service that should log and go on, not crash.
public struct DatabaseLockError: Error, Sendable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The backend cannot hold this kind of lock (SQLite has no session locks).
        public static let unsupported = Kind("unsupported")
        public var description: String { name }
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
