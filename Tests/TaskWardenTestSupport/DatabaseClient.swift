import Foundation

/// The database's own command-line client (`psql`, `mariadb`, `sqlite3`), for tests that run a
/// script as a DBA would, outside TaskWarden.
public struct DatabaseClient: Sendable {
    public let backend: TestBackend
    /// The database URL text, password included.
    public let urlString: String

    public init(_ backend: TestBackend, urlString: String) {
        self.backend = backend
        self.urlString = urlString
    }

    /// Runs `script` with the client, from a file on its standard input; returns its exit
    /// status and output.
    public func run(script: String, timeout: Duration = .seconds(60)) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory.make()
        let file = directory.appending("script.sql")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let url = try URLComponents(string: urlString).orThrow()
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        switch backend {
        case .postgresql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = ["-X", "-q", urlString]
        case .mysql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/mariadb")
            environment["MYSQL_PWD"] = url.password ?? ""
            process.arguments = [
                "--no-defaults", "--protocol=TCP", "--host=\(url.host ?? "127.0.0.1")", "--port=\(url.port ?? 3306)",
                "--user=\(url.user ?? "")", String(url.path.dropFirst()),
            ]
        case .sqlite:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [url.path]
        }
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        let output = directory.appending("output")
        guard FileManager.default.createFile(atPath: output, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let clock = ContinuousClock()
        let start = clock.now
        while process.isRunning {
            if clock.now - start > timeout {
                process.terminate()
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}
