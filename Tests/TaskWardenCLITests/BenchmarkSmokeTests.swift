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
        let json = try Self.run(backend, ["--rows", "3000"])
        #expect((json["results"] as? [Any])?.count == 1, "\(json.keys)")
    }

    @Test("a 3 000-result Celery cleanup benchmark runs: backend_cleanup's DELETE and the celery_taskmeta purge take the same rows", arguments: TestBackend.allCases)
    func celerySmoke(backend: TestBackend) throws {
        let json = try Self.run(backend, ["--celery-rows", "3000", "--skip-purge"])
        let celery = try #require((json["celery"] as? [[String: Any]])?.first, "\(json.keys)")
        // A third of the results (and the one exactly at the boundary) are past result_expires,
        // and both sides delete exactly those.
        #expect((1_000...1_001).contains(celery["expiredRows"] as? Int ?? 0), "\(celery)")
        #expect(celery["purgedRows"] as? Int == celery["expiredRows"] as? Int, "\(celery)")
        #expect((celery["workerDuringPurge"] as? [String: Any])?["writes"] as? Int ?? 0 > 0, "\(celery)")
    }

    /// Runs `taskwarden-bench` with `arguments` (batches of 500, one round) on a database of
    /// its own and returns the JSON it wrote.
    static func run(_ backend: TestBackend, _ arguments: [String]) throws -> [String: Any] {
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
            arguments + [
                "--batch-size", "500", "--rounds", "1", "--backend", backend.rawValue, "--taskwarden", taskwarden.binary.path, "--output", output,
                "--sqlite-directory", directory, "--allow-tuned-servers",
            ], environment: environment, timeout: .seconds(300))
        #expect(outcome.status == 0, "\(outcome.allOutput.suffix(2_000))")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
    }
}
