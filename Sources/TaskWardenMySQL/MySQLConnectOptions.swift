import CMariaDB
import TaskWardenCore

/// What a `mysql://` URL's query parameters ask for.
///
/// Timeouts are in seconds, as MySQL counts them: `connect_timeout` (default 10),
/// `read_timeout`, `write_timeout`. TLS: `ssl-mode` (`disabled`, `preferred`, `required`,
/// `verify_ca`, `verify_identity`; `sslmode` is accepted too), `ssl-ca`, `ssl-cert`, `ssl-key`.
/// `socket` names a Unix socket. `wait_timeout`, `lock_wait_timeout` and
/// `innodb_lock_wait_timeout` are set on the session.
struct MySQLConnectOptions {
    var connectTimeout: UInt32 = 10
    var readTimeout: UInt32?
    var writeTimeout: UInt32?
    var sslMode = "preferred"
    var sslCA: String?
    var sslCert: String?
    var sslKey: String?
    var socket: String?
    var sessionSettings: [String] = []

    static let sslModes: Set<String> = ["disabled", "preferred", "required", "verify_ca", "verify_identity"]

    /// Whether the session must be encrypted: `required`, `verify_ca` or `verify_identity`.
    var requiresEncryption: Bool { ["required", "verify_ca", "verify_identity"].contains(sslMode) }
    static let sessionVariables: Set<String> = ["wait_timeout", "lock_wait_timeout", "innodb_lock_wait_timeout"]

    init(_ url: DatabaseURL) throws(DatabaseURLError) {
        for (name, value) in url.parameters {
            switch name {
            case "connect_timeout": connectTimeout = try Self.seconds(name, value)
            case "read_timeout": readTimeout = try Self.seconds(name, value)
            case "write_timeout": writeTimeout = try Self.seconds(name, value)
            case "ssl-mode", "sslmode", "ssl_mode":
                let mode = value.lowercased().replacingOccurrences(of: "-", with: "_")
                guard Self.sslModes.contains(mode) else {
                    throw DatabaseURLError(
                        "MySQL URL parameter ssl-mode must be one of \(Self.sslModes.sorted().joined(separator: ", ")), not '\(value)'")
                }
                sslMode = mode
            case "ssl-ca", "sslca", "ssl_ca": sslCA = value
            case "ssl-cert", "sslcert", "ssl_cert": sslCert = value
            case "ssl-key", "sslkey", "ssl_key": sslKey = value
            case "socket": socket = value
            case _ where Self.sessionVariables.contains(name):
                sessionSettings.append("SET SESSION \(name) = \(try Self.seconds(name, value))")
            default:
                throw DatabaseURLError(
                    "unknown MySQL URL parameter '\(name)' (accepted: connect_timeout, read_timeout, write_timeout, ssl-mode, ssl-ca, ssl-cert, ssl-key, socket, \(Self.sessionVariables.sorted().joined(separator: ", ")))")
            }
        }
    }

    private static func seconds(_ name: String, _ value: String) throws(DatabaseURLError) -> UInt32 {
        guard let seconds = UInt32(value), seconds > 0 else {
            throw DatabaseURLError("MySQL URL parameter \(name) must be a positive whole number of seconds, not '\(value)'")
        }
        return seconds
    }

    func apply(to handle: UnsafeMutablePointer<MYSQL>) {
        func set(_ option: mysql_option, _ value: UInt32) {
            var value = value
            mysql_options(handle, option, &value)
        }
        func set(_ option: mysql_option, flag: Bool) {
            var value: my_bool = flag ? 1 : 0
            mysql_options(handle, option, &value)
        }
        func set(_ option: mysql_option, _ text: String?) {
            guard let text else { return }
            _ = text.withCString { mysql_options(handle, option, $0) }
        }
        set(MYSQL_OPT_CONNECT_TIMEOUT, connectTimeout)
        if let readTimeout { set(MYSQL_OPT_READ_TIMEOUT, readTimeout) }
        if let writeTimeout { set(MYSQL_OPT_WRITE_TIMEOUT, writeTimeout) }
        set(MYSQL_OPT_RECONNECT, flag: false)
        set(MYSQL_SET_CHARSET_NAME, "utf8mb4")
        set(MYSQL_OPT_SSL_CA, sslCA)
        set(MYSQL_OPT_SSL_CERT, sslCert)
        set(MYSQL_OPT_SSL_KEY, sslKey)
        switch sslMode {
        case "required":
            set(MYSQL_OPT_SSL_ENFORCE, flag: true)
            set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false)
        case "verify_ca", "verify_identity":
            set(MYSQL_OPT_SSL_ENFORCE, flag: true)
            set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: true)
        default:
            break
        }
    }
}
