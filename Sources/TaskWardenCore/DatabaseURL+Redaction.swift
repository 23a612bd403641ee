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
            text += servers.map { server in
                (server.host.contains(":") ? "[\(server.host)]" : server.host) + (server.port.map { ":\($0)" } ?? "")
            }.joined(separator: ",")
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

    /// Redaction of text that may not even parse as a URL.
    ///
    /// Used in error messages about malformed URLs, which must not echo the password either,
    /// and a malformed URL is exactly where a password's own `?`, `/` or `#` makes the
    /// authority impossible to find. So no URL structure is trusted: everything from the first
    /// `:` after the user name up to the **last** `@` of the whole text is replaced, and so is
    /// the value of every secret parameter (`password=`, ...). When the user name itself looks
    /// wrong (it holds `/`, `?` or `#`), everything up to the last `@` is replaced.
    public static func redact(_ text: String) -> String {
        var shown = text
        if let schemeColon = shown.firstIndex(of: ":") {
            var credentialsStart = shown.index(after: schemeColon)
            while credentialsStart < shown.endIndex, shown[credentialsStart] == "/" {
                credentialsStart = shown.index(after: credentialsStart)
            }
            if let at = shown[credentialsStart...].lastIndex(of: "@") {
                let credentials = shown[credentialsStart..<at]
                if let colon = credentials.firstIndex(of: ":"), !credentials[..<colon].contains(where: { "/?#".contains($0) }) {
                    shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
                } else if credentials.contains(where: { "/?#:".contains($0) }) {
                    shown.replaceSubrange(credentialsStart..<at, with: "***")
                }
            }
        }
        return redactingSecretParameters(in: shown)
    }

    /// `text` with the value of every secret query parameter replaced by `***`.
    private static func redactingSecretParameters(in text: String) -> String {
        var shown = ""
        var rest = Substring(text)
        while let separator = rest.firstIndex(where: { $0 == "?" || $0 == "&" }) {
            shown += rest[...separator]
            rest = rest[rest.index(after: separator)...]
            guard let equals = rest.firstIndex(of: "="),
                !rest[..<equals].contains(where: { $0 == "&" || $0 == "?" }),
                secretParameterNames.contains(String(rest[..<equals]).lowercased())
            else { continue }
            let valueEnd = rest[equals...].firstIndex(of: "&") ?? rest.endIndex
            shown += rest[...equals] + "***"
            rest = rest[valueEnd...]
        }
        return shown + rest
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
