import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden watch` over minutes: a cycle every second, work in every cycle, metrics
/// scraped, and memory flat.
@Suite("taskwarden watch, soak")
struct WatchSoakTests {
    /// How long each backend soaks: `TASKWARDEN_TEST_SOAK_SECONDS`, default 150.
    static let seconds = Double(ProcessInfo.processInfo.environment["TASKWARDEN_TEST_SOAK_SECONDS"] ?? "") ?? 150

    @Test("a cycle every second for minutes, with stuck runs to recover in each and /metrics scraped: resident memory stays flat", arguments: TestBackend.allCases)
    func memoryStaysFlat(backend: TestBackend) async throws {
        // The whole soak runs on a thread of its own: a second's pace must not wait for the
        // cooperative pool, which other tests' blocking waits can hold for minutes.
        try await onOwnThread { try Self.soak(backend) }
    }

    static func soak(_ backend: TestBackend) throws {
        let taskwarden = try CommandRunner()
        let fixture = try MigratedDatabase(backend, runner: taskwarden)
        defer { fixture.close() }
        let (database, db) = (fixture.database, fixture.connection)
        let port = try closedLoopbackPort()
        let watcher = try taskwarden.start([
            "watch", "--every", "1s", "--lease", "5s", "--stuck-after", "10m", "--http", "127.0.0.1:\(port)", "--database", database.urlString,
        ])
        defer { watcher.send(SIGKILL) }
        let p = db.dialect.placeholder
        let old = DatabaseValue.timestamp(try #require(Timestamp(parsing: "2020-01-01 00:00:00")))
        var samples: [(at: Double, kilobytes: Int)] = []
        let start = Date()
        var inserted = 0
        var scraped = 0
        while Date().timeIntervalSince(start) < seconds {
            for _ in 0..<10 { try db.execute("INSERT INTO task_runs (kind, status, started_at) VALUES ('soak', 'running', \(p(1)))", [old]) }
            inserted += 10
            // A raw GET with a 2 s limit: a stalled client must not thin out the samples.
            if LoopbackHTTP.get(port: port, path: "/metrics")?.status == 200 { scraped += 1 }
            if let rss = residentKilobytes(of: watcher.processIdentifier) { samples.append((Date().timeIntervalSince(start), rss)) }
            Thread.sleep(forTimeInterval: 1)
        }
        Thread.sleep(forTimeInterval: 2)
        #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'") >= inserted - 20)

        // After a warm-up (a fifth of the run), the highest resident size of the last third may
        // exceed that of the first third by at most 2 MB: a leak of a kilobyte per cycle would not.
        let warm = samples.filter { $0.at > seconds / 5 }
        let third = max(warm.count / 3, 1)
        let early = warm.prefix(third).map(\.kilobytes).max() ?? 0
        let late = warm.suffix(third).map(\.kilobytes).max() ?? 0
        print("soak \(backend): \(samples.count) samples, RSS first \(samples.first?.kilobytes ?? 0) kB, after warm-up \(early) kB, at the end \(late) kB")
        #expect(warm.count >= 10)
        #expect(scraped * 2 >= samples.count, "\(backend): /metrics answered \(scraped) of \(samples.count) scrapes")
        #expect(late - early < 2_048, "\(backend): \(early) kB -> \(late) kB: \(samples.map(\.kilobytes))")
        watcher.send(SIGTERM)
        #expect(try watcher.wait(exitingWithin: .seconds(30)).status == 0)
    }

    static func residentKilobytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
