import Foundation
import PropertyBased
import TaskWardenAdmin
import Testing

/// The admin API's tokens: roles by bearer token, generated, and where tokens may come from.
@Suite("Admin tokens")
struct AdminTokensTests {
    static let token = Gen.letterOrNumber.string(of: 16...40)

    @Test("a generated token gets its own role, any other string (a prefix, one character more) none")
    func rolesByToken() async {
        await propertyCheck(count: 300, input: Self.token, Self.token) { admin, reader in
            let tokens = AdminTokens(admin: admin, reader: reader == admin ? nil : reader)
            #expect(tokens.role(authorization: "Bearer \(admin)") == .admin)
            if reader != admin { #expect(tokens.role(authorization: "Bearer \(reader)") == .reader) }
            for wrong in [String(admin.dropLast()), admin + "x", admin.uppercased() == admin ? admin.lowercased() : admin.uppercased()] where wrong != admin && wrong != reader {
                #expect(tokens.role(authorization: "Bearer \(wrong)") == .anonymous, "\(wrong)")
            }
            #expect(tokens.role(authorization: admin) == .anonymous)
            #expect(tokens.role(authorization: nil) == .anonymous)
            #expect(tokens.role(authorization: "Bearer ") == .anonymous)
        }
        #expect(AdminTokens(admin: nil, reader: nil).isEmpty)
        #expect(AdminTokens(admin: nil, reader: nil).role(authorization: "Bearer ") == .anonymous)
    }

    @Test("tokens come from a file's first line or the environment; short ones and unreadable files are refused without showing the token")
    func loading() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token").path
        try "from-the-file-0123456789\nsecond line\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try AdminTokens.load(file: file, variable: "X", environment: ["X": "from-the-environment-0123"]) == "from-the-file-0123456789")
        #expect(try AdminTokens.load(file: nil, variable: "X", environment: ["X": "from-the-environment-0123"]) == "from-the-environment-0123")
        #expect(try AdminTokens.load(file: nil, variable: "X", environment: [:]) == nil)
        let short = #expect(throws: AdminTokenError.self) { try AdminTokens.load(file: nil, variable: "X", environment: ["X": "short-secret"]) }
        #expect(short?.description.contains("short-secret") == false)
        #expect(throws: AdminTokenError.self) { try AdminTokens.load(file: directory.appendingPathComponent("missing").path, variable: "X") }
    }
}
