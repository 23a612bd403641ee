import Crypto
import Foundation

/// Who a request is, by its bearer token: the admin API's two roles.
public enum AdminRole: Sendable, Comparable {
    /// No token, or a wrong one.
    case anonymous
    /// The read token: listings, counts, the journal.
    case reader
    /// The admin token: everything, the actions too.
    case admin
}

/// The admin API's bearer tokens, read from files or the environment, never from the command
/// line (where `ps` and shell history would show them).
///
/// Tokens are compared in constant time, as their SHA-256 digests, so that neither the
/// comparison's duration nor its early exit tells an attacker how much of a guess was right.
public struct AdminTokens: Sendable {
    private let admin: [UInt8]?
    private let reader: [UInt8]?

    /// Whether any token is set: without one, the server serves only metrics and health.
    public var isEmpty: Bool { admin == nil && reader == nil }

    public init(admin: String?, reader: String?) {
        self.admin = admin.flatMap(Self.digest)
        self.reader = reader.flatMap(Self.digest)
    }

    /// The role of a request with this `Authorization` header value.
    public func role(authorization: String?) -> AdminRole {
        guard let authorization, authorization.hasPrefix("Bearer "), let given = Self.digest(String(authorization.dropFirst(7))) else {
            return .anonymous
        }
        // Both are compared, whichever matches, so the time does not say which token it was.
        let isAdmin = admin.map { Self.equal($0, given) } ?? false
        let isReader = reader.map { Self.equal($0, given) } ?? false
        return isAdmin ? .admin : isReader ? .reader : .anonymous
    }

    /// A token from `file` (its first line) or else the environment variable `variable`.
    ///
    /// - Throws: ``AdminTokenError`` for a file that cannot be read or a token shorter than
    ///   16 characters, which would be guessable.
    public static func load(file: String?, variable: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AdminTokenError) -> String?
    {
        var token: String?
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw AdminTokenError(source: file, reason: "cannot be read") }
            token = text.split(whereSeparator: \.isNewline).first.map(String.init)
            guard token != nil else { throw AdminTokenError(source: file, reason: "is empty") }
        } else {
            token = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let token else { return nil }
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 16 else { throw AdminTokenError(source: file ?? "$\(variable)", reason: "holds a token shorter than 16 characters") }
        return trimmed
    }

    private static func digest(_ token: String) -> [UInt8]? {
        token.isEmpty ? nil : Array(SHA256.hash(data: Data(token.utf8)))
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

/// A token that cannot be used; says where it came from, never what it is.
public struct AdminTokenError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let reason: String
    public var description: String { "admin token \(source) \(reason)" }
}
