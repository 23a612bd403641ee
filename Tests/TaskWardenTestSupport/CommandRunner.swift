import Foundation

/// Runs the built `taskwarden` binary as a separate process, as users and deploy scripts do.
public struct CommandRunner: Sendable {
    /// What a finished process left behind.
    public struct Outcome: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        public let duration: Duration

        /// Both streams, for assertions about what was shown at all.
        public var allOutput: String { standardOutput + standardError }
    }

    public let binary: URL

    /// - Parameter executable: the built product to run: `taskwarden`, or `taskwarden-bench`.
    public init(executable: String = "taskwarden") throws {
        binary = try Self.locateBinary(executable)
    }

    /// Runs `taskwarden arguments...` to completion, with no database variables set except those in `environment`.
    public func run(
        _ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
        timeout: Duration = .seconds(60)
    ) throws -> Outcome {
        try start(arguments, environment: environment, workingDirectory: workingDirectory).wait(timeout: timeout)
    }

    /// Starts `taskwarden arguments...` and returns at once, for tests that signal it mid-way.
    public func start(
        _ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for name in ["TASKWARDEN_DATABASE_URL", "DATABASE_URL"] { merged[name] = nil }
        merged.merge(environment) { $1 }
        process.environment = merged
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let output = try TemporaryDirectory.make()
        let outURL = URL(fileURLWithPath: output.appending("stdout"))
        let errURL = URL(fileURLWithPath: output.appending("stderr"))
        for file in [outURL, errURL] {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningCommand(process: process, arguments: arguments, outputDirectory: output)
    }

    /// Runs `taskwarden arguments...` with a pseudo-terminal on its standard input (through
    /// util-linux `script`), typing `input`, as a person at a terminal would.
    public func runInTerminal(_ arguments: [String], input: String, timeout: Duration = .seconds(60)) throws -> Outcome {
        let quoted = ([binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["TASKWARDEN_DATABASE_URL", "DATABASE_URL"] { environment[name] = nil }
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning {
            if clock.now - start > timeout {
                process.terminate()
                throw TimedOut(arguments: arguments, timeout: timeout)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self), standardError: "",
            duration: clock.now - start)
    }

    /// A `taskwarden` process that was started and may still be running.
    public final class RunningCommand: @unchecked Sendable {
        private let process: Process
        private let arguments: [String]
        private let outputDirectory: String
        private let started = ContinuousClock.now

        init(process: Process, arguments: [String], outputDirectory: String) {
            self.process = process
            self.arguments = arguments
            self.outputDirectory = outputDirectory
        }

        public var isRunning: Bool { process.isRunning }

        /// The process's id, for reading its `/proc` entries.
        public var processIdentifier: Int32 { process.processIdentifier }

        /// Sends `signal` (e.g. `SIGKILL`, `SIGTERM`) to the process.
        public func send(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        /// Waits for the process to end (killing it after `timeout`) and collects its output.
        public func wait(timeout: Duration = .seconds(60)) throws -> Outcome {
            try wait(until: started + timeout, timeout: timeout)
        }

        /// Waits at most `limit` from now, for a long-running process (a service) told to stop.
        public func wait(exitingWithin limit: Duration) throws -> Outcome {
            try wait(until: ContinuousClock.now + limit, timeout: limit)
        }

        private func wait(until deadline: ContinuousClock.Instant, timeout: Duration) throws -> Outcome {
            let clock = ContinuousClock()
            while process.isRunning {
                if clock.now > deadline {
                    process.terminate()
                    process.waitUntilExit()
                    throw TimedOut(arguments: arguments, timeout: timeout)
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            process.waitUntilExit()
            let read = { (name: String) in
                (try? String(contentsOfFile: self.outputDirectory.appending(name), encoding: .utf8)) ?? ""
            }
            let outcome = Outcome(
                status: process.terminationStatus, standardOutput: read("stdout"), standardError: read("stderr"),
                duration: clock.now - started)
            try? FileManager.default.removeItem(atPath: outputDirectory)
            return outcome
        }
    }

    /// The process did not finish in time.
    public struct TimedOut: Error, CustomStringConvertible {
        public let arguments: [String]
        public let timeout: Duration
        public var description: String { "taskwarden \(arguments.joined(separator: " ")) ran longer than \(timeout)" }
    }

    /// `$TASKWARDEN_BINARY`, else `taskwarden` next to the test bundle (SwiftPM's products folder).
    private static func locateBinary(_ executable: String) throws -> URL {
        if executable == "taskwarden", let explicit = ProcessInfo.processInfo.environment["TASKWARDEN_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        let argumentZero = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(argumentZero.deletingLastPathComponent().appendingPathComponent(executable))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(executable))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(executable))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw BinaryNotFound(searched: candidates.map(\.path))
    }

    public struct BinaryNotFound: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "the taskwarden binary was not found (looked in \(searched.joined(separator: ", "))); set TASKWARDEN_BINARY"
        }
    }
}
