import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Hostile and mistyped input: one line on standard error, exit code 2, nothing changed.
@Suite("taskwarden bad input")
struct BadInputTests {
    let taskwarden: CommandRunner
    init() throws { taskwarden = try CommandRunner() }

    /// Expects exit 2 with one `taskwarden: error:` line, and returns that line.
    @discardableResult
    private func expectUsageError(_ arguments: [String], in directory: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try taskwarden.run(arguments, workingDirectory: directory ?? TemporaryDirectory.make())
        #expect(outcome.status == 2, "\(arguments): \(outcome.allOutput)", sourceLocation: sourceLocation)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(outcome.standardError.hasPrefix("taskwarden: error: "), sourceLocation: sourceLocation)
        #expect(outcome.standardError.count < 400, sourceLocation: sourceLocation)
        #expect(!outcome.allOutput.contains("Fatal error") && !outcome.allOutput.contains("backtrace"), sourceLocation: sourceLocation)
        return String(lines.first ?? "")
    }

    @Test("a mapping's column the table lacks, or a set_on value its encoding refuses, is named with the file and the key, before anything runs", arguments: TestBackend.allCases)
    func misspelledColumns(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        let url = ["--database", database.urlString]
        #expect(try taskwarden.run(["migrate"] + url).status == 0)
        let db = try database.connect()
        defer { db.close() }
        try db.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL, started_at TIMESTAMP NULL, result TEXT)", [])
        try db.execute("CREATE TABLE job_groups (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL)", [])
        let directory = try TemporaryDirectory.make()
        for (yaml, expected) in [
            ("table: {name: jobs, columns: {finished_at: finish_at}}", "table.columns.finished_at: table jobs has no column finish_at"),
            ("table: {name: jobs, set_on: {failed: {reslt: x}}}", "table.set_on.failed.reslt: table jobs has no column reslt"),
            ("table: {name: jobs, parent: {name: job_groups, key: group_id}}", "table.parent.key: table jobs has no column group_id"),
            ("table: {name: jobs, parent: {name: job_groups, key: result, columns: {kind: knd}}}", "table.parent.columns.kind: table job_groups has no column knd"),
            ("table: {name: job_groups}", "table.columns.started_at"),
            ("table: {name: jobs, set_on: {failed: {result: {value: '{note}', encoding: python_pickle}}}}", "table.set_on.failed.result.value' with encoding python_pickle: not JSON"),
            ("table: {name: jobs, set_on: {failed: {result: {value: x, encoding: gzip}}}}", "table.set_on.failed.result.encoding' must be one of text, bytes, python_pickle"),
        ] {
            try yaml.write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
            let line = try expectUsageError(["recover"] + url, in: directory)
            #expect(line.contains("taskwarden.yaml: ") && line.contains(expected), "\(yaml): \(line)")
        }
    }

    @Test("durations that would overflow, and zero thresholds, are refused before anything runs", arguments: TestBackend.allCases)
    func durations(backend: TestBackend) throws {
        let database = try IsolatedDatabase.create(backend)
        defer { database.drop() }
        #expect(try taskwarden.run(["migrate", "--database", database.urlString]).status == 0)
        let url = ["--database", database.urlString]
        for huge in ["99999999999999999999s", "9223372036854775807s", "106751991167d"] {
            try expectUsageError(["stuck", "--older-than", huge] + url)
            try expectUsageError(["recover", "--dry-run", "--older-than", huge] + url)
            try expectUsageError(["purge", "--dry-run", "--failed-older-than", huge] + url)
        }
        // Parses, but its cutoff falls before year 1: refused once the database's clock is read.
        let beforeYearOne = try expectUsageError(["purge", "--failed-older-than", "1000000d", "--dry-run"] + url)
        #expect(beforeYearOne.contains("years 1 to 9999"), "\(beforeYearOne)")
        try expectUsageError(["purge", "--succeeded-older-than", "1d", "--failed-older-than", "1000000d"] + url)
        try expectUsageError(["reset", "--status", "running", "--to", "failed", "--reason", "x", "--older-than", "1000000d", "--yes"] + url)
        try expectUsageError(["recover", "--older-than", "1000000d"] + url)
        for zero in ["0s", "0ms", "0d"] {
            try expectUsageError(["stuck", "--older-than", zero] + url)
            try expectUsageError(["recover", "--older-than", zero, "--dry-run"] + url)
            try expectUsageError(["purge", "--failed-older-than", zero, "--dry-run"] + url)
        }
    }

    @Test("durations in the configuration file are checked the same way")
    func configurationDurations() throws {
        for (key, value) in [("older_than", "106751991167d"), ("older_than", "0s"), ("older_than", "9223372036854775807s")] {
            let directory = try TemporaryDirectory.make()
            try "stuck:\n  \(key): \(value)\n".write(toFile: directory.appending("taskwarden.yaml"), atomically: true, encoding: .utf8)
            let line = try expectUsageError(["stuck", "--database", "sqlite::memory:"], in: directory)
            #expect(line.contains("taskwarden.yaml") && line.contains("stuck.older_than"), "\(line)")
        }
    }

    @Test("--help lists only the values an option accepts")
    func helpValues() throws {
        for command in ["recover", "reset"] {
            let help = try taskwarden.run([command, "--help"])
            #expect(help.status == 0)
            // The --to option's help: its line and the continuation lines under it.
            let lines = help.standardOutput.split(separator: "\n").map(String.init)
            let start = try #require(lines.firstIndex { $0.hasPrefix("  --to <status>") })
            let block = ([lines[start]] + lines[(start + 1)...].prefix { !$0.hasPrefix("  -") }).joined(separator: " ")
            for value in ["failed", "cancelled", "queued"] { #expect(block.contains(value), "\(block)") }
            for value in ["running", "succeeded"] { #expect(!block.contains(value), "\(block)") }
            try expectUsageError([command, "--to", "succeeded", "--status", "running", "--reason", "x", "--dry-run"])
        }
    }
}
