import Crypto
import Foundation
import TaskWardenAdmin

/// The dashboard's sign-in: a browser trades a token for a signed session cookie.
///
/// Browsers do not send bearer tokens, so the sign-in form takes the read or admin token once
/// and answers with a cookie that names the role and an expiry, signed (HMAC-SHA256) with a key
/// made at start and never stored: no token is kept in the cookie or the page, and restarting
/// the process signs everyone out. The cookie is `HttpOnly` and `SameSite=Strict`, so scripts
/// cannot read it and other sites' requests do not carry it.
struct DashboardSessions: Sendable {
    static let cookieName = "taskwarden_session"
    static let lifetime: TimeInterval = 12 * 3_600

    /// The signing key's bytes (Crypto's `SymmetricKey` is not `Sendable`).
    private let key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }

    /// A cookie value for `role`, valid for ``lifetime`` from `now`.
    func issue(_ role: AdminRole, now: Date = Date()) -> String {
        let payload = "\(Self.name(of: role)).\(Int(now.timeIntervalSince1970 + Self.lifetime)).\(UUID().uuidString)"
        return payload + "." + signature(payload)
    }

    /// The role a cookie value carries, `.anonymous` for a forged, altered or expired one.
    func role(cookie value: String?, now: Date = Date()) -> AdminRole {
        guard let value, let dot = value.lastIndex(of: ".") else { return .anonymous }
        let payload = String(value[..<dot])
        guard Self.equal(String(value[value.index(after: dot)...]), signature(payload)) else { return .anonymous }
        let parts = payload.split(separator: ".")
        guard parts.count == 3, let expires = Int(parts[1]), TimeInterval(expires) > now.timeIntervalSince1970 else { return .anonymous }
        switch parts[0] {
        case "admin": return .admin
        case "reader": return .reader
        default: return .anonymous
        }
    }

    /// The form token of a session: what every state-changing form carries in a hidden field,
    /// checked against the session's cookie (CSRF).
    ///
    /// Derived from the cookie with the same key, so it needs no storage, and a page of another
    /// site, which can make the browser send the cookie but cannot read it, cannot forge it.
    func formToken(for cookie: String) -> String {
        signature("form." + cookie)
    }

    /// Whether `given` is the form token of the session `cookie`, compared in constant time.
    func isFormToken(_ given: String, of cookie: String) -> Bool {
        Self.equal(given, formToken(for: cookie))
    }

    /// Compares every byte whatever differs, so the time taken does not tell how much of a
    /// forged signature or token was right.
    private static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        return x.count == y.count && zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The session cookie of a `Cookie` header, if any.
    static func cookie(in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(cookieName + "=") { return String(trimmed.dropFirst(cookieName.count + 1)) }
        }
        return nil
    }

    private func signature(_ payload: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    private static func name(of role: AdminRole) -> String {
        switch role {
        case .admin: "admin"
        case .reader: "reader"
        case .anonymous: "anonymous"
        }
    }
}
