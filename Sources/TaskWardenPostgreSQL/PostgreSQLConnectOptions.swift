import CPostgreSQL
import Foundation
import TaskWardenCore

/// The libpq connection keywords and session settings a URL asks for.
struct PostgreSQLConnectOptions {
    /// Keyword/value pairs for `PQconnectdbParams`; a later pair overrides an earlier one.
    var keywords: [(String, String)] = []
    /// `SET` statements run once the session is open.
    var sessionSettings: [String] = []
    /// The same settings for one transaction (`set_config(..., true)`, i.e. `SET LOCAL`), for
    /// a session behind a transaction pooler, where a session's settings do not last.
    var transactionSettings: String? {
        guard !settings.isEmpty else { return nil }
        return "SELECT " + settings.map { "set_config('\($0.name)', '\($0.milliseconds)', true)" }.joined(separator: ", ")
    }
    private var settings: [(name: String, milliseconds: Int)] = []

    /// Parameters TaskWarden applies with `SET` rather than handing to libpq.
    static let sessionParameters = ["statement_timeout", "lock_timeout"]

    init(_ url: DatabaseURL) throws(DatabaseURLError) {
        keywords.append(("connect_timeout", "10"))
        keywords.append(("application_name", "taskwarden"))
        keywords.append(("client_encoding", "UTF8"))
        // libpq takes several hosts as comma-separated lists, ports in the same order (an empty
        // entry is the default port) and tries them in turn.
        if !url.servers.isEmpty { keywords.append(("host", url.servers.map(\.host).joined(separator: ","))) }
        if url.servers.contains(where: { $0.port != nil }) {
            keywords.append(("port", url.servers.map { $0.port.map(String.init) ?? "" }.joined(separator: ",")))
        }
        if let user = url.user { keywords.append(("user", user)) }
        if let password = url.password { keywords.append(("password", password)) }
        if let database = url.database { keywords.append(("dbname", database)) }
        let known = Self.libpqKeywords
        for (name, value) in url.parameters {
            if Self.sessionParameters.contains(name) {
                // PostgreSQL keeps these settings in a C int.
                guard let milliseconds = Int(value), (0...Int(Int32.max)).contains(milliseconds) else {
                    throw DatabaseURLError(
                        "PostgreSQL URL parameter \(name) must be a whole number of milliseconds from 0 to \(Int32.max), not '\(value.prefix(24))'")
                }
                sessionSettings.append("SET \(name) = \(milliseconds)")
                settings.append((name, milliseconds))
            } else if known.contains(name) {
                keywords.append((name, value))
            } else {
                throw DatabaseURLError(
                    "unknown PostgreSQL URL parameter '\(name)' (libpq's connection keywords, statement_timeout and lock_timeout are accepted)")
            }
        }
    }

    /// How long one connection attempt may take, as libpq reads `connect_timeout`: the last
    /// value given, whole seconds, at least 2; `nil` (no limit) for zero, a negative number, or
    /// none.
    var connectTimeout: Duration? {
        guard let text = keywords.last(where: { $0.0 == "connect_timeout" })?.1, let seconds = Int(text.trimmingCharacters(in: .whitespaces)),
            seconds > 0
        else { return nil }
        return .seconds(max(2, seconds))
    }

    /// The connection keywords this libpq knows, from `PQconndefaults`.
    static let libpqKeywords: Set<String> = {
        var names: Set<String> = []
        guard let defaults = PQconndefaults() else { return names }
        defer { PQconninfoFree(defaults) }
        var option = defaults
        while let keyword = option.pointee.keyword {
            names.insert(String(cString: keyword))
            option += 1
        }
        return names
    }()
}

extension Array where Element == (String, String) {
    /// Calls `body` with NULL-terminated C arrays of the keywords and values.
    func withConnectionArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let keys = map { strdup($0.0) } + [nil]
        let values = map { strdup($0.1) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let constKeys = keys.map { UnsafePointer($0) }
        let constValues = values.map { UnsafePointer($0) }
        return constKeys.withUnsafeBufferPointer { k in
            constValues.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
        }
    }
}
