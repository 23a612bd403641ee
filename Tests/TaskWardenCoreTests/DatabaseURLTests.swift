import TaskWardenCore
import Testing

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test("postgres URLs parse into their parts")
    func postgres() throws {
        let url = try DatabaseURL(parsing: "postgresql://app:s3cr%40t@db.internal:6543/jobs?sslmode=require&connect_timeout=5")
        #expect(url.backend == .postgresql)
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.user == "app")
        #expect(url.password == "s3cr@t")
        #expect(url.database == "jobs")
        #expect(url.parameter("sslmode") == "require")
        #expect(url.parameters.map(\.name) == ["sslmode", "connect_timeout"])
    }

    @Test("mysql and mariadb schemes, IPv6 hosts, no password")
    func mysql() throws {
        let url = try DatabaseURL(parsing: "mariadb://root@[::1]:3307/app")
        #expect(url.backend == .mysql)
        #expect(url.host == "::1")
        #expect(url.port == 3307)
        #expect(url.password == nil)
        #expect(url.redacted == "mariadb://root@[::1]:3307/app")
        #expect(try DatabaseURL(parsing: "mysql://u:p@h/d").backend == .mysql)
    }

    @Test("sqlite URLs: absolute, relative, in memory, with parameters")
    func sqlite() throws {
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/app/jobs.db").sqliteLocation == .file("/var/lib/app/jobs.db"))
        #expect(try DatabaseURL(parsing: "sqlite:jobs.db").sqliteLocation == .file("jobs.db"))
        #expect(try DatabaseURL(parsing: "sqlite:data/jobs.db").sqliteLocation == .file("data/jobs.db"))
        #expect(try DatabaseURL(parsing: "sqlite::memory:").sqliteLocation == .memory)
        let withParameters = try DatabaseURL(parsing: "sqlite:jobs.db?busy_timeout=100")
        #expect(withParameters.sqliteLocation == .file("jobs.db"))
        #expect(withParameters.parameter("busy_timeout") == "100")
        #expect(try DatabaseURL(parsing: "sqlite:my%20jobs.db").sqliteLocation == .file("my jobs.db"))
        #expect(try DatabaseURL(parsing: "sqlite:///tmp/x.db").redacted == "sqlite:///tmp/x.db")
        #expect(try DatabaseURL(parsing: "sqlite:x.db").redacted == "sqlite:x.db")
    }

    @Test(
        "bad URLs are refused with one line that does not repeat the password",
        arguments: [
            "", "nonsense", "ftp://u:hunter22@host/db", "postgres:/u:hunter22@host", "postgres://u:hunter22@host:99999/db",
            "postgres://u:hunter22@host/a/b", "postgres://u:hunter22@[::1/db", "sqlite://relative.db", "sqlite:",
            "postgres://u:hunter22@host/db?sslmode=a&sslmode=b",
        ])
    func badURLs(text: String) {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: text) }
        let message = error?.message ?? ""
        #expect(!message.contains("hunter"), "password leaked: \(message)")
        #expect(!message.contains("\n"))
        #expect(!message.isEmpty)
    }

    @Test("redaction hides the password and secret parameters everywhere a URL is shown")
    func redaction() throws {
        let url = try DatabaseURL(parsing: "postgres://app:hunter2hunter2@db:5432/jobs?password=other-secret&sslmode=require")
        for shown in [url.redacted, url.description, url.debugDescription, "\(url)", String(reflecting: url)] {
            #expect(!shown.contains("hunter2"))
            #expect(!shown.contains("other-secret"))
        }
        #expect(url.redacted == "postgres://app:***@db:5432/jobs?password=***&sslmode=require")
        #expect(url.scrubbingPassword(from: "auth failed for hunter2hunter2") == "auth failed for ***")
        #expect(DatabaseURL.redact("mysql://root:p@ss:w0rd@host/db") == "mysql://root:***@host/db")
    }

    @Test("resolution order: option, TASKWARDEN_DATABASE_URL, DATABASE_URL, embedded default")
    func resolution() throws {
        let env = ["TASKWARDEN_DATABASE_URL": "mysql://a@h/d", "DATABASE_URL": "postgres://b@h/d"]
        #expect(try DatabaseURL.resolve(option: "sqlite:x.db", environment: env).source == .option)
        #expect(try DatabaseURL.resolve(option: nil, environment: env).url.backend == .mysql)
        #expect(try DatabaseURL.resolve(option: nil, environment: ["DATABASE_URL": "postgres://b@h/d"]).url.backend == .postgresql)
        let fallback = try DatabaseURL.resolve(option: nil, environment: ["TASKWARDEN_DATABASE_URL": "", "DATABASE_URL": ""])
        #expect(fallback.source == .embeddedDefault)
        #expect(fallback.url.sqliteLocation == .file("taskwarden.sqlite"))
        let error = #expect(throws: DatabaseURLError.self) {
            try DatabaseURL.resolve(option: nil, environment: ["DATABASE_URL": "redis://x:topsecret@h"])
        }
        #expect(error?.message.hasPrefix("$DATABASE_URL:") == true)
        #expect(error?.message.contains("topsecret") == false)
    }
}
