import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden-bench` still runs end to end, on a table small enough for a test.
///
/// The benchmark is not a timed test (its figures come from `scripts/bench-purge.sh`), but a
/// benchmark that no longer runs is found here rather than at the next measurement.
@Suite("taskwarden-bench smoke run")
struct BenchmarkSmokeTests {
    @Test("a 3 000-row purge benchmark runs and writes its JSON", arguments: TestBackend.allCases)
    func smoke(backend: TestBackend) throws {
        let bench = try CommandRunner(executable: "taskwarden-bench")
        let taskwarden = try CommandRunner()
        let directory = try TemporaryDirectory.make()
        let output = directory.appending("bench.json")
        var environment: [String: String] = [:]
        let database = backend == .sqlite ? nil : try IsolatedDatabase.create(backend)
        defer { database?.drop() }
        if let database {
            environment[backend == .postgresql ? TestBackend.postgresURLVariable : TestBackend.mysqlURLVariable] = database.urlString
        }
        let outcome = try bench.run(
            [
                "--rows", "3000", "--batch-size", "500", "--rounds", "1", "--backend", backend.rawValue,
                "--taskwarden", taskwarden.binary.path, "--output", output, "--sqlite-directory", directory,
            ], environment: environment, timeout: .seconds(300))
        #expect(outcome.status == 0, "\(outcome.allOutput.suffix(2_000))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect((json["results"] as? [Any])?.count == 1, "\(json.keys)")
    }
}
