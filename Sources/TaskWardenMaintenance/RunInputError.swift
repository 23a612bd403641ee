/// Input to a maintenance operation that the database would refuse or misread: nothing was done.
///
/// Raised before any statement that selects or changes runs, so that a bad run id or an
/// over-long reason is the caller's mistake to fix (exit 2 in the CLI) rather than a database
/// error half-way through, or worse, a silent cast that changes a different run. The kinds
/// carry what the caller needs to word the message in its own terms (flag names, say).
public struct RunInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A run id that is not a value of the id column's type (an integer column gets `'2,3'`).
        case malformedRunID(String, table: String)
        /// A run id longer than the journal's `run_id` column holds.
        case runIDTooLong(String, limit: Int)
        /// The actor is longer than the journal's `actor` column holds, in characters.
        case actorTooLong(length: Int, limit: Int)
        /// The reason is longer than the journal's `reason` column (and the run's note) holds, in UTF-8 bytes.
        case reasonTooLong(bytes: Int, limit: Int)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .malformedRunID(let id, let table): "run id '\(id)' is not an integer, which the id column of \(table) holds"
        case .runIDTooLong(let id, let limit): "run id '\(id.prefix(20))...' is longer than \(limit) characters"
        case .actorTooLong(let length, let limit): "the actor is \(length) characters long; the journal holds at most \(limit)"
        case .reasonTooLong(let bytes, let limit): "the reason is \(bytes) bytes long; the journal holds at most \(limit)"
        }
    }
}
