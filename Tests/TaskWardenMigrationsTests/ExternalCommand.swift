import Foundation
import TaskWardenTestSupport

/// Runs a client program of the database (`psql`, `pg_dump`) to completion.
struct ExternalCommand {
    struct Failed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "\(command) exited \(status): \(output)" }
    }

    /// Runs `executable arguments...` (looked up on `PATH`) and returns its standard output;
    /// throws with its standard error when it exits non-zero.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let directory = try TemporaryDirectory.make()
        let out = directory.appending("stdout")
        let err = directory.appending("stderr")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = try String(contentsOfFile: out, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            throw Failed(command: executable, status: process.terminationStatus, output: try String(contentsOfFile: err, encoding: .utf8))
        }
        return output
    }
}
