import Foundation

extension DatabaseURL {
    /// Query parameters whose values are secrets.
    static let secretParameterNames: Set<String> = ["password", "sslpassword", "pass", "passwd"]

    /// The URL with its password (and any secret parameter) replaced by `***`.
    public var redacted: String {
        var text: String
        if let sqliteLocation {
            switch sqliteLocation {
            case .memory: text = "\(scheme)::memory:"
            case .file(let path): text = path.hasPrefix("/") ? "\(scheme)://\(path)" : "\(scheme):\(path)"
            }
        } else {
            text = "\(scheme)://"
            if let user {
                text += user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
                if password != nil { text += ":***" }
                text += "@"
            }
            if let host { text += host.contains(":") ? "[\(host)]" : host }
            if let port { text += ":\(port)" }
            if let database { text += "/\(database)" }
        }
        if !parameters.isEmpty {
            text += "?" + parameters.map { name, value in
                let shown = Self.secretParameterNames.contains(name.lowercased()) ? "***" : value
                return "\(name)=\(shown)"
            }.joined(separator: "&")
        }
        return text
    }

    /// Best-effort redaction of text that may not even parse as a URL.
    ///
    /// Used in error messages about malformed URLs, which must not echo the password either:
    /// in whatever stands before the last `@` of the authority, everything after the user's
    /// `:` is replaced, however many slashes follow the scheme.
    public static func redact(_ text: String) -> String {
        guard let schemeColon = text.firstIndex(of: ":") else { return text }
        var authorityStart = text.index(after: schemeColon)
        while authorityStart < text.endIndex, text[authorityStart] == "/" {
            authorityStart = text.index(after: authorityStart)
        }
        let authorityEnd = text[authorityStart...].firstIndex(of: "?") ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"),
            let colon = authority[..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<authority.index(after: colon)]) + "***" + String(text[at...])
    }

    /// `message` with every occurrence of this URL's password replaced by `***`.
    ///
    /// A last line of defence for messages from client libraries, which TaskWarden does not
    /// control. Passwords shorter than four characters are left alone, since replacing them
    /// would garble the message more than it protects.
    public func scrubbingPassword(from message: String) -> String {
        guard let password, password.count >= 4 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}

extension DatabaseURL: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { redacted }
    public var debugDescription: String { "DatabaseURL(\(redacted))" }
}
