import Foundation
import TaskWarden
import TaskWardenTestSupport

/// The folders of `Tests/MigrationFormatFixtures`, written as each tool's documentation shows.
enum FormatFixtures {
    /// `Tests/MigrationFormatFixtures/<name>`.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MigrationFormatFixtures").appendingPathComponent(name).path
    }

    /// A copy of the fixture folder `name` (or of its `<dialect>` subfolder) in a new temporary
    /// directory, for tests that add or edit files.
    static func copy(_ name: String, for backend: TestBackend) throws -> String {
        var source = path(name)
        let dialectFolder = (source as NSString).appendingPathComponent(backend.rawValue)
        if FileManager.default.fileExists(atPath: dialectFolder) { source = dialectFolder }
        let directory = try TemporaryDirectory.make()
        for entry in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: (source as NSString).appendingPathComponent(entry), toPath: directory.appending(entry))
        }
        return directory
    }

    /// Writes `files` (name to text) into a new temporary directory.
    static func folder(_ files: [String: String]) throws -> String {
        let directory = try TemporaryDirectory.make()
        for (name, text) in files { try text.write(toFile: directory.appending(name), atomically: true, encoding: .utf8) }
        return directory
    }
}
