/// A table or column name that is safe to put into SQL once quoted.
///
/// Names come from users' configuration files, so TaskWarden accepts only plain identifiers
/// (letters, digits and underscores, not starting with a digit, at most 63 characters), with
/// an optional schema or database prefix (`jobs.task_runs`). Anything else is refused rather
/// than escaped: a name that needs escaping is far more likely a mistake or an attack than a
/// real table.
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The dot-separated parts, each a validated plain identifier.
    public let parts: [String]

    public init(_ text: String) throws(SQLIdentifierError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { throw SQLIdentifierError(text: text) }
        for part in parts where !Self.isPlain(part) {
            throw SQLIdentifierError(text: text)
        }
        self.parts = parts
    }

    /// The last part: the table or column name without its schema.
    public var name: String { parts[parts.count - 1] }

    public var description: String { parts.joined(separator: ".") }

    static func isPlain(_ part: String) -> Bool {
        guard let first = part.unicodeScalars.first, part.unicodeScalars.count <= 63,
            first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return part.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }
}

/// A name that is not a plain SQL identifier.
public struct SQLIdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "'\(text.debugDescription.dropFirst().dropLast())' is not a plain SQL identifier "
            + "(letters, digits and _, optionally schema.name)"
    }
}
