/// One value sent to or read from a database.
///
/// Drivers bind these as parameters (never spliced into SQL text) and produce them when they
/// decode rows. Booleans read from PostgreSQL arrive as `.integer(0 or 1)`, and exact numerics
/// (`NUMERIC`, `DECIMAL`) as `.text`, so that no precision is lost on the way.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])
    case timestamp(Timestamp)

    /// Whether this is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as plain text: text as stored, numbers in digits, a time as SQL text, bytes
    /// that are UTF-8 as their text; otherwise (`NULL`, other bytes) its ``description``.
    ///
    /// How a run id is written wherever it leaves the database as text: in the journal's
    /// `run_id`, in JSON, on a page, in a link that names the run again. One function, so that
    /// an id shown by one door is the id another door takes.
    package var plainText: String {
        String.fromDatabaseValue(self) ?? description
    }
}

extension DatabaseValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value.debugDescription
        case .bytes(let value): "<\(value.count) bytes>"
        case .timestamp(let value): value.description
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}
