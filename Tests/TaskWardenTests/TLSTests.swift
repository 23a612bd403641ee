import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// TLS modes that ask for encryption really encrypt, or refuse to connect.
///
/// `scripts/test.sh` makes a throw-away CA and a server certificate for 127.0.0.1 with
/// `openssl`, turns TLS on in the test PostgreSQL, and starts a second MariaDB with TLS; the
/// first MariaDB has none, so a client that demands TLS is tested against a server without it.
@Suite("TLS")
struct TLSTests {
    private static func environment(_ name: String) throws -> String { try TestBackend.required(name) }

    private static var certificates: String { get throws { try environment("TASKWARDEN_TEST_TLS_DIR") } }

    /// The `Value` column of `SHOW STATUS LIKE 'Ssl_cipher'`: empty when the session is not encrypted.
    private static func cipher(_ db: any DatabaseConnection) throws -> String {
        try db.queryFirst("SHOW STATUS LIKE 'Ssl_cipher'")?.decode(String.self, "Value") ?? ""
    }

    /// `base` with `parameters` appended.
    private static func url(_ base: String, _ parameters: [String]) throws -> DatabaseURL {
        try DatabaseURL(parsing: base + (base.contains("?") ? "&" : "?") + parameters.joined(separator: "&"))
    }

    @Test("MySQL ssl-mode=required against a server without TLS is refused, not quietly plain text")
    func mysqlRequiredWithoutServerTLS() throws {
        let base = try Self.environment(TestBackend.mysqlURLVariable)
        for mode in ["required", "REQUIRED", "verify_ca", "verify-identity"] {
            var parameters = ["ssl-mode=\(mode)"]
            if mode.lowercased() != "required" { parameters.append("ssl-ca=\(try Self.certificates)/ca.pem") }
            let error = #expect(throws: DatabaseError.self, "\(mode)") { try DatabaseDrivers.connect(try Self.url(base, parameters)) }
            #expect(error?.category.isTransient == false)
        }
        // The same server is fine when TLS is not demanded.
        let plain = try DatabaseDrivers.connect(try Self.url(base, ["ssl-mode=disabled"]))
        defer { plain.close() }
        #expect(try Self.cipher(plain) == "")
    }

    @Test("MySQL required, verify_ca and verify_identity connect to a TLS server and encrypt")
    func mysqlEncrypts() throws {
        let base = try Self.environment("TASKWARDEN_TEST_MYSQL_TLS_URL")
        let ca = "ssl-ca=\(try Self.certificates)/ca.pem"
        for parameters in [["ssl-mode=required"], ["ssl-mode=verify_ca", ca], ["ssl-mode=verify_identity", ca]] {
            let db = try DatabaseDrivers.connect(try Self.url(base, parameters))
            defer { db.close() }
            #expect(try !Self.cipher(db).isEmpty, "\(parameters): the server sees no cipher")
        }
        // A CA that did not sign the server's certificate is refused.
        #expect(throws: DatabaseError.self) {
            try DatabaseDrivers.connect(try Self.url(base, ["ssl-mode=verify_ca", "ssl-ca=\(try Self.certificates)/other-ca.pem"]))
        }
    }

    @Test("PostgreSQL require, verify-ca and verify-full connect and encrypt; a wrong CA is refused")
    func postgresEncrypts() throws {
        let base = try Self.environment(TestBackend.postgresURLVariable)
        let rootCert = "sslrootcert=\(try Self.certificates)/ca.pem"
        for parameters in [["sslmode=require"], ["sslmode=verify-ca", rootCert], ["sslmode=verify-full", rootCert]] {
            let db = try DatabaseDrivers.connect(try Self.url(base, parameters))
            defer { db.close() }
            let encrypted = try db.queryValue(Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            #expect(encrypted == true, "\(parameters)")
        }
        #expect(throws: DatabaseError.self) {
            try DatabaseDrivers.connect(try Self.url(base, ["sslmode=verify-ca", "sslrootcert=\(try Self.certificates)/other-ca.pem"]))
        }
    }

    @Test("taskwarden ping with ssl-mode=required against a server without TLS exits 3 with one line")
    func cliRefusesPlainText() throws {
        let base = try Self.environment(TestBackend.mysqlURLVariable)
        let outcome = try CommandRunner().run(
            ["ping"], environment: ["TASKWARDEN_DATABASE_URL": base + "?ssl-mode=required"])
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.contains("not encrypted"), "\(outcome.standardError)")
        #expect(!outcome.allOutput.contains("tw-test-pw"))
    }
}
