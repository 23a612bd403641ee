import Foundation
import PropertyBased
import TaskWardenCore
import Testing

/// PostgreSQL URLs that list several servers, as libpq takes them for failover.
@Suite("Database URLs with several hosts")
struct DatabaseURLMultiHostTests {
    @Test("h1:p1,h2:p2 is read as two servers, in order, and printed back with the password hidden")
    func twoHosts() throws {
        let url = try DatabaseURL(
            parsing: "postgres://app:s3cret-pw@db1.internal:5432,10.0.0.7:6432/jobs?target_session_attrs=read-write")
        #expect(url.servers == [.init(host: "db1.internal", port: 5432), .init(host: "10.0.0.7", port: 6432)])
        #expect(url.host == "db1.internal" && url.port == 5432)
        #expect(url.user == "app" && url.password == "s3cret-pw" && url.database == "jobs")
        #expect(url.parameter("target_session_attrs") == "read-write")
        #expect(url.redacted == "postgres://app:***@db1.internal:5432,10.0.0.7:6432/jobs?target_session_attrs=read-write")
        #expect(url.defaultingParameter("connect_timeout", to: "3").servers == url.servers)
    }

    @Test("ports may be left out per host; IPv6 addresses keep their brackets when printed")
    func mixedHosts() throws {
        let url = try DatabaseURL(parsing: "postgresql://app@[::1]:5433,standby,[fe80::2]/jobs")
        #expect(url.servers == [.init(host: "::1", port: 5433), .init(host: "standby", port: nil), .init(host: "fe80::2", port: nil)])
        #expect(url.redacted == "postgresql://app@[::1]:5433,standby,[fe80::2]/jobs")
    }

    @Test(
        "a bad host list is one line that names the problem and hides the password",
        arguments: [
            ("postgres://app:pw-hidden-1@h1:5432,,h2/jobs", "empty host"),
            ("postgres://app:pw-hidden-1@h1:5432,:5433/jobs", "empty host"),
            ("postgres://app:pw-hidden-1@h1:5432,h2:99999/jobs", "port '99999'"),
            ("postgres://app:pw-hidden-1@h1:5432,h2:x/jobs", "port 'x'"),
            ("mysql://app:pw-hidden-1@h1:3306,h2:3306/jobs", "PostgreSQL only"),
        ])
    func badHostLists(text: String, expected: String) {
        #expect {
            try DatabaseURL(parsing: text)
        } throws: { error in
            let message = (error as? DatabaseURLError)?.message ?? ""
            return message.contains(expected) && !message.contains("pw-hidden-1") && !message.contains("\n")
        }
    }

    static let hostNames = Gen.element(of: ["db1", "db-2.internal", "10.0.0.7", "127.0.0.1", "[::1]", "[fe80::1]", "standby"]).map { $0! }
    static let server = zip(hostNames, Gen.int(in: 0...65_535))

    @Test("any list of hosts and ports round-trips through its printed form, and never shows the password")
    func generatedHostLists() async {
        await propertyCheck(
            count: 300, input: Self.server.array(of: 1...5), DatabaseURLPropertyTests.password
        ) { servers, password in
            let list = servers.map { host, port in port == 0 ? host : "\(host):\(port)" }.joined(separator: ",")
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let text = "postgres://app:\(encoded)@\(list)/jobs?target_session_attrs=read-write"
            guard let url = try? DatabaseURL(parsing: text) else {
                Issue.record("refused: \(DatabaseURL.redact(text))")
                return
            }
            #expect(url.servers.count == servers.count)
            for (parsed, (host, port)) in zip(url.servers, servers) {
                #expect(parsed.host == host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
                #expect(parsed.port == (port == 0 ? nil : port))
            }
            #expect(url.redacted == "postgres://app:***@\(list)/jobs?target_session_attrs=read-write")
            for shown in [url.redacted, url.description, url.debugDescription] {
                #expect(!shown.contains(password) && !shown.contains(encoded))
            }
            let again = try? DatabaseURL(parsing: url.redacted.replacingOccurrences(of: "***", with: encoded))
            #expect(again == url)
        }
    }
}
