import Foundation
import PropertyBased
import TaskWardenCore
import Testing

/// Generated URLs: whatever a password holds, parsing never prints it and never misreads it.
@Suite("Database URLs, generated")
struct DatabaseURLPropertyTests {
    /// Characters people put in passwords, the URL delimiters among them.
    static let passwordCharacters = Array("abcXYZ0189?#/@:&=+ !$'()*,;[]~-._%")
    static let password = Gen.element(of: passwordCharacters).map { $0! }.array(of: 8...20).map { String($0) }
        // Make sure every password holds a character that must be encoded, and is not a word
        // that could appear in a message by chance.
        .map { "Zq" + $0 }
    static let schemes = ["postgres", "postgresql", "mysql", "mariadb"]

    /// Every text a parse of `text` shows: the error, or the URL's printed forms.
    static func shownTexts(parsing text: String) -> (url: DatabaseURL?, shown: [String]) {
        do {
            let url = try DatabaseURL(parsing: text)
            return (url, [url.redacted, url.description, url.debugDescription, String(reflecting: url)])
        } catch {
            return (nil, [error.message, String(describing: error)])
        }
    }

    @Test("an unencoded password is never printed, and is read whole or refused")
    func unencodedPassword() async {
        await propertyCheck(
            count: 400, input: Self.password, Gen.element(of: Self.schemes).map { $0! }, Gen.int(in: 0...3)
        ) { password, scheme, shape in
            let tail = ["@127.0.0.1:55432/postgres", "@db/jobs?sslmode=require", "@[::1]:3306/app", "@host"][shape]
            let text = "\(scheme)://app:\(password)\(tail)"
            let (url, shown) = Self.shownTexts(parsing: text)
            for line in shown {
                #expect(!line.contains(password), "password shown: \(line)")
                #expect(!line.contains(String(password.dropFirst(2).dropLast())), "password's middle shown: \(line)")
            }
            // A password is never split into a host, path, parameter or fragment.
            if let url { #expect(url.password == password.removingPercentEncoding || url.password == password) }
            #expect(!DatabaseURL.redact(text).contains(password))
        }
    }

    @Test("a percent-encoded password round-trips and is never printed")
    func encodedPassword() async {
        await propertyCheck(count: 300, input: Self.password, Gen.element(of: Self.schemes).map { $0! }) { password, scheme in
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let text = "\(scheme)://app:\(encoded)@db.internal:6543/jobs?connect_timeout=5"
            let (url, shown) = Self.shownTexts(parsing: text)
            #expect(url?.password == password)
            #expect(url?.host == "db.internal")
            #expect(url?.port == 6543)
            for line in shown {
                #expect(!line.contains(password) && !line.contains(encoded), "password shown: \(line)")
            }
        }
    }

    @Test("redact hides what stands between the user and the last '@', however malformed the text")
    func redactAnything() async {
        let junk = Gen.element(of: Array("ab:/?#@&= %")).map { $0! }.array(of: 0...12).map { String($0) }
        await propertyCheck(count: 400, input: junk, Self.password, junk) { before, password, after in
            let text = "postgres://\(before.replacingOccurrences(of: ":", with: ""))" + ":" + password + "@" + after
            #expect(!DatabaseURL.redact(text).contains(password))
        }
    }

    @Test("a secret parameter's value is never printed")
    func secretParameter() async {
        let value = Gen.letterOrNumber.string(of: 10...20).map { "Zq" + $0 }
        await propertyCheck(count: 200, input: value, Gen.element(of: ["password", "sslpassword", "PASSWORD"]).map { $0! }) { secret, name in
            for text in ["postgres://app@db/jobs?\(name)=\(secret)&sslmode=require", "postgres://app@db/jobs?\(name)=\(secret)&bogus=1"] {
                for line in Self.shownTexts(parsing: text).shown {
                    #expect(!line.contains(secret), "secret shown: \(line)")
                }
            }
        }
    }

    @Test("ports: every number from 1 to 65535 is kept, anything else is refused, never dropped")
    func ports() async {
        await propertyCheck(count: 300, input: Gen.int64(in: Int64.min...Int64.max)) { port in
            let text = "postgres://app@db:\(port)/jobs"
            if (1...65_535).contains(port) {
                #expect((try? DatabaseURL(parsing: text))?.port == Int(port))
            } else {
                #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: text) }
            }
        }
        for text in [
            "postgres://app@db:9223372036854775808/jobs", "postgres://app@db:99999999999999999999/jobs", "mysql://u@h:/d",
            "mysql://u@[::1]:0/d", "mysql://u@h:12ab/d",
        ] {
            #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(parsing: text) }
        }
    }

    @Test("a NUL (%00) anywhere in a URL is refused, not truncated")
    func nul() {
        for text in [
            "sqlite:prod.db%00.bak", "sqlite:///tmp/prod.db%00x", "postgres://app@db/jobs%00x", "mysql://app%00x@db/jobs",
            "postgres://app:pw%00x@db/jobs", "postgres://app@db/jobs?sslmode=require%00", "sqlite:x.db?mode=rw%00c",
        ] {
            let error = #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(parsing: text) }
            #expect(error?.message.contains("NUL") == true)
        }
    }

    @Test("an empty parameter value is refused, never read as the library's default")
    func emptyParameter() {
        for text in ["postgres://app@db/jobs?sslmode=", "postgres://app@db/jobs?sslmode", "mysql://u@h/d?ssl-mode=", "sqlite:x.db?mode="] {
            let error = #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(parsing: text) }
            #expect(error?.message.contains("no value") == true)
        }
    }
}
