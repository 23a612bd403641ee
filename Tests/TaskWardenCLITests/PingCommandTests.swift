import Foundation
import TaskWardenTestSupport
import Testing

/// `taskwarden ping`, `--version` and `--help`, run as a separate process.
@Suite("taskwarden ping")
struct PingCommandTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    @Test("--version and --help exit 0")
    func versionAndHelp() throws {
        let version = try taskwarden.run(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try taskwarden.run(["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("ping"))
        #expect(help.standardOutput.contains("Exit codes"))
    }

    @Test("with no URL anywhere, the default file is named and only migrate creates it; doctor is then clean")
    func embeddedDefault() throws {
        let directory = try TemporaryDirectory.make()
        let file = directory.appending("taskwarden.sqlite")
        for arguments in [["ping"], ["stuck"], ["recover", "--dry-run"], ["purge", "--failed-older-than", "1d"], ["stats"], ["doctor"], ["journal"]] {
            let outcome = try taskwarden.run(arguments, workingDirectory: directory)
            #expect(outcome.status == 3, "\(arguments): \(outcome.allOutput)")
            #expect(outcome.standardError.split(separator: "\n").count == 1)
            #expect(outcome.standardError.contains("sqlite:taskwarden.sqlite"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("the default") && outcome.standardError.contains("taskwarden migrate"))
            #expect(!FileManager.default.fileExists(atPath: file), "\(arguments) created the file")
        }
        #expect(try taskwarden.run(["migrate"], workingDirectory: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: file))
        let ping = try taskwarden.run(["ping"], workingDirectory: directory)
        #expect(ping.status == 0, "\(ping.allOutput)")
        #expect(ping.standardOutput.contains("SQLite"))
        #expect(ping.standardOutput.contains("sqlite:taskwarden.sqlite (from default)"))
        // The file TaskWarden created is in WAL mode, so doctor has nothing to warn about.
        let doctor = try taskwarden.run(["doctor"], workingDirectory: directory)
        #expect(doctor.status == 0, "\(doctor.allOutput)")
        #expect(doctor.standardOutput.contains("journal_mode: wal"), "\(doctor.standardOutput)")
    }

    @Test("the URL comes from TASKWARDEN_DATABASE_URL before DATABASE_URL")
    func environmentPrecedence() throws {
        let directory = try TemporaryDirectory.make()
        let environment = ["TASKWARDEN_DATABASE_URL": "sqlite:preferred.db", "DATABASE_URL": "redis://not:used@x"]
        // A database without TaskWarden's tables: the error says which database and why it was used.
        try Data().write(to: URL(fileURLWithPath: directory.appending("preferred.db")))
        let unmigrated = try taskwarden.run(["stuck"], environment: environment, workingDirectory: directory)
        #expect(unmigrated.status == 4, "\(unmigrated.allOutput)")
        #expect(unmigrated.standardError.contains("sqlite:preferred.db (from $TASKWARDEN_DATABASE_URL)"), "\(unmigrated.standardError)")
        #expect(try taskwarden.run(["migrate"], environment: environment, workingDirectory: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appending("preferred.db")))
        let outcome = try taskwarden.run(["ping", "--json"], environment: environment, workingDirectory: directory)
        #expect(outcome.status == 0, "\(outcome.allOutput)")
        #expect(outcome.standardOutput.contains("\"urlSource\":\"$TASKWARDEN_DATABASE_URL\""))
    }

    @Test("the URL can come from a file, so the password stays out of the process list", arguments: [TestBackend.postgresql, .mysql])
    func urlFile(backend: TestBackend) throws {
        let url = try backend.makeURLString()
        let password = try #require(try backend.makeURL().password)
        let directory = try TemporaryDirectory.make()
        let file = directory.appending("database-url")
        try (url + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let viaOption = try taskwarden.run(["ping", "--json", "--database-file", file])
        #expect(viaOption.status == 0, "\(viaOption.allOutput)")
        #expect(viaOption.standardOutput.contains("\"urlSource\":\"file \(file)\""))
        let viaEnvironment = try taskwarden.run(["ping", "--json"], environment: ["TASKWARDEN_DATABASE_URL_FILE": file, "DATABASE_URL": "redis://x"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.allOutput)")
        #expect(!(viaOption.allOutput + viaEnvironment.allOutput).contains(password))
        for arguments in [["ping", "--database-file", directory.appending("missing")], ["ping", "--database-file", file, "-d", url]] {
            let refused = try taskwarden.run(arguments)
            #expect(refused.status == 2, "\(refused.allOutput)")
            #expect(refused.standardError.split(separator: "\n").count == 1)
            #expect(!refused.allOutput.contains(password))
        }
    }

    @Test(
        "bad input gets one line on stderr and exit code 2, without the password",
        arguments: [
            ["ping", "--database", "postgres://admin:hunter2secret@db.example:notaport/x"],
            ["ping", "--database", "redis://admin:hunter2secret@localhost"],
            ["ping", "--database", "postgres://admin:hunter2secret@127.0.0.1/x?no_such_option=1"],
            ["ping", "--database", "mysql://admin:hunter2secret@127.0.0.1/x?ssl-mode=sometimes"],
            ["ping", "--database", "sqlite:x.db?busy_timeout=soon"],
            ["ping", "--database", "sqlite:x.db?busy_timeout=99999999999"],
            ["ping", "--database", "postgres://admin:hunter2secret@127.0.0.1/x?statement_timeout=99999999999"],
            ["ping", "-d", "postgres://app:Zx81?hunter2@127.0.0.1:55432/postgres"],
            ["ping", "--json", "-d", "postgres://app:Zx81?hunter2@127.0.0.1:55432/postgres"],
            ["ping", "--json", "-d", "mysql://app:a/b#hunter2@127.0.0.1/x"],
            ["ping", "-d", "postgres://app:pw@127.0.0.1:9223372036854775808/x?sslmode=require"],
            ["ping", "-d", "postgres://app:hunter2x@127.0.0.1/x?sslmode="],
            ["ping", "-d", "sqlite:prod.db%00.bak"],
            ["ping", "--no-such-flag"],
            ["ping", "--count", "0"],
            ["no-such-command"],
        ])
    func badInput(arguments: [String]) throws {
        let outcome = try taskwarden.run(arguments, workingDirectory: try TemporaryDirectory.make())
        #expect(outcome.status == 2, "\(outcome.allOutput)")
        #expect(outcome.standardOutput.isEmpty == !arguments.contains("--json"))
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("taskwarden: error: "))
        #expect(!outcome.allOutput.contains("hunter2"))
    }

    @Test("an unreachable server fails with exit code 3 and one line", arguments: ["postgres", "mysql"])
    func unreachable(scheme: String) throws {
        let port = try closedLoopbackPort()
        let outcome = try taskwarden.run(["ping", "--database", "\(scheme)://u:hunter2secret@127.0.0.1:\(port)/db"])
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.contains("cannot connect to \(scheme)://u:***@127.0.0.1:\(port)/db"))
        #expect(!outcome.allOutput.contains("hunter2"))
    }

    @Test("a server that never answers fails within the connect timeout", arguments: ["postgres", "mysql"])
    func hangingServer(scheme: String) throws {
        let listener = try SilentListener()
        let outcome = try taskwarden.run(
            ["ping", "--database", "\(scheme)://u:hunter2secret@127.0.0.1:\(listener.port)/db?connect_timeout=2"],
            timeout: .seconds(30))
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        #expect(outcome.duration < .seconds(10), "took \(outcome.duration)")
        #expect(!outcome.allOutput.contains("hunter2"))
        withExtendedLifetime(listener) {}
    }

    @Test("a wrong password fails with exit code 3, says so, and prints no password", arguments: [TestBackend.postgresql, .mysql])
    func wrongPassword(backend: TestBackend) throws {
        var components = try #require(URLComponents(string: try backend.makeURLString()))
        components.password = "not-the-password-42"
        let url = try #require(components.string)
        let outcome = try taskwarden.run(["ping", "--database", url, "--json"])
        #expect(outcome.status == 3, "\(outcome.allOutput)")
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.contains("check the user and password"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("\"exitCode\":3"))
        #expect(!outcome.allOutput.contains("not-the-password-42"))
        #expect(!outcome.allOutput.contains("tw-test-pw"))
    }
}
