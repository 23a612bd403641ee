import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// TaskWarden across a PostgreSQL failover (`scripts/ha/pg-failover.sh`).
///
/// The topology is a primary with a synchronous standby, reached by a multi-host URL with
/// `target_session_attrs=read-write`. Each test starts work, fails the pair over in the middle
/// of it (the primary crash-stopped, the standby promoted, the old node rebuilt as the new
/// standby) and checks that nothing was lost or done twice: a command either finishes or
/// exits with its documented code and a rerun completes; the worker helpers carry on by
/// themselves. Serialized: a failover belongs to one test at a time.
@Suite("Across a PostgreSQL failover", .serialized)
struct PostgresFailoverTests {
    let taskwarden: CommandRunner
    let url: String
    let failoverCommand: String

    init() throws {
        taskwarden = try CommandRunner()
        url = try HATopology.required("TASKWARDEN_TEST_PG_FAILOVER_URL")
        failoverCommand = try HATopology.required("TASKWARDEN_TEST_PG_FAILOVER_COMMAND")
    }

    /// Fails the pair over and returns the command's account of it, timed.
    @discardableResult
    private func failOver() throws -> (output: String, promotedAfter: Duration) {
        let log = try TemporaryDirectory.make().appending("failover.log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // Output to a file, and the end told by a status file rather than by the process:
        // Foundation was seen to report this process running long after it ended (the servers
        // it starts outlive it). timeout: a hung step must not outlive the test.
        process.arguments = [
            "-c", "timeout -k 5 100 \"$0\" >\"$1\" 2>&1 </dev/null; echo $? >\"$1.status\"", failoverCommand, log,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var status: String?
        while status == nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            status = try? String(contentsOfFile: log + ".status", encoding: .utf8)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard let status else {
            process.terminate()
            throw SetupFailed(what: "the failover command (still running after 120 s)", output: text)
        }
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "failover: \(text)")
        let promoted = text.split(separator: "\n").first { $0.contains("promoted") }
            .flatMap { $0.split(separator: "+").last?.split(separator: "s").first }.flatMap { Double($0) } ?? 0
        print("failover (\(ContinuousClock.now - started)):\n\(text)", terminator: "")
        return (text, .milliseconds(Int64(promoted * 1_000)))
    }

    private func migrated() throws -> HADatabase {
        let database = try HADatabase.create(adminURL: url, topologyURL: url)
        let outcome = try taskwarden.run(["migrate", "--database", database.urlString])
        guard outcome.status == 0 else {
            database.drop()
            throw SetupFailed(what: "taskwarden migrate", output: outcome.allOutput)
        }
        return database
    }

    /// Runs `arguments` once more after a failover interrupted it, if it did.
    ///
    /// - Returns: the first run's exit status.
    private func finishOrRerun(
        _ first: CommandRunner.RunningCommand, _ arguments: [String], _ what: String
    ) throws -> Int32 {
        let outcome = try first.wait(exitingWithin: .seconds(120))
        #expect([0, 4].contains(outcome.status), "\(what): exit \(outcome.status): \(outcome.allOutput)")
        if outcome.status != 0 {
            // One line, naming the lost connection, without the password.
            let lines = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.hasPrefix("taskwarden:") }
            #expect(lines.count <= 1, "\(outcome.standardError)")
            #expect(!outcome.allOutput.contains("tw-test-pw"))
            #expect(outcome.standardError.contains("run the command again"), "\(outcome.standardError)")
            let rerun = try taskwarden.run(arguments, timeout: .seconds(120))
            #expect(rerun.status == 0, "\(what) rerun: \(rerun.allOutput)")
        }
        print("\(what): first run exit \(outcome.status)\(outcome.status == 0 ? "" : " (\(outcome.standardError.oneLineForReport))"), \(outcome.status == 0 ? "no rerun needed" : "rerun completed")")
        return outcome.status
    }

    @Test("the multi-host URL works for every command and is printed whole, without the password")
    func multiHostURL() throws {
        let database = try migrated()
        defer { database.drop() }
        let ping = try taskwarden.run(["ping", "--database", database.urlString])
        #expect(ping.status == 0, "\(ping.allOutput)")
        let status = try taskwarden.run(["migrate", "status", "--exit-code", "--database", database.urlString])
        #expect(status.status == 0, "\(status.allOutput)")
        let hosts = try #require(url.split(separator: "@").last?.split(separator: "/").first)
        #expect(status.allOutput.contains(String(hosts)) || ping.allOutput.contains(String(hosts)), "\(status.allOutput)")
        #expect(!(ping.allOutput + status.allOutput).contains("tw-test-pw"))
        let wrong = try taskwarden.run(["ping", "--database", url.replacingOccurrences(of: "tw-test-pw", with: "wrong-password-123")])
        #expect(wrong.status == 3 && !wrong.allOutput.contains("wrong-password-123"), "\(wrong.allOutput)")
    }

    @Test("a write on the standby is classified read-only, and a retry reconnects to the primary")
    func standbyRefusesWrites() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let standbyURL = try DatabaseURL(parsing: database.urlString.replacingOccurrences(of: "read-write", with: "standby"))
            let standby = try DatabaseDrivers.connect(standbyURL)
            #expect(try standby.queryValue(Bool.self, "SELECT pg_is_in_recovery()"))
            // Wait for the database to reach the standby (replication is synchronous for
            // commits, but CREATE DATABASE itself is replayed asynchronously).
            try waitUntil(seconds: 30, "task_runs is on the standby") {
                try standby.queryValue(Bool.self, "SELECT to_regclass('task_runs') IS NOT NULL")
            }
            #expect {
                try standby.execute("INSERT INTO task_runs (kind, status) VALUES ('job', 'queued')", [])
            } throws: { error in
                let error = error as? DatabaseError
                return error?.category == .readOnly && error?.sqlState == "25006" && error?.category.isTransient == true
            }
            // A queue whose session is on the standby: the retry drops it and reconnects
            // through the read-write URL, as a session left on a demoted server would.
            let primaryURL = try database.url
            let queue = ConnectionQueue(standby, reconnect: { _ in try DatabaseDrivers.connect(primaryURL) })
            defer { queue.close() }
            let inserted = try queue.withTransaction(retry: .standard) { db in
                try db.execute("INSERT INTO task_runs (kind, status) VALUES ('job', 'queued')", [])
            }
            #expect(inserted == 1)
            let reset = try taskwarden.run(["reset", "--status", "queued", "--to", "cancelled", "--reason", "x", "--yes", "--database", standbyURL.redacted.replacingOccurrences(of: "***", with: "tw-test-pw")])
            #expect(reset.status == 4, "\(reset.allOutput)")
            #expect(reset.standardError.contains("read-only"), "\(reset.standardError)")
            print("standby: write refused with SQLSTATE 25006 as readOnly; the retry reconnected to the primary and committed")
        }
    }

    @Test("migrate interrupted by a failover: exit 0 or 4, a rerun completes, each version applied once")
    func migrateAcrossFailover() async throws {
        let database = try HADatabase.create(adminURL: url, topologyURL: url)
        defer { database.drop() }
        try await onOwnThread {
            let directory = try TemporaryDirectory.make()
            for version in 1...8 {
                try "-- taskwarden:up\nCREATE TABLE widgets_\(version) (id BIGINT);\nSELECT pg_sleep(0.4);\n"
                    .write(toFile: directory.appending(String(format: "%04d_widgets_%d.sql", version, version)), atomically: true, encoding: .utf8)
            }
            let arguments = ["migrate", "--dir", directory, "--set", "app", "--wait-for-database", "60s", "--database", database.urlString]
            let first = try taskwarden.start(arguments)
            Thread.sleep(forTimeInterval: 1.3)
            try failOver()
            _ = try finishOrRerun(first, arguments, "migrate")
            let db = try database.connect()
            defer { db.close() }
            let rows = try db.query("SELECT version, state FROM taskwarden_schema_migrations WHERE migration_set = 'app' ORDER BY version", [])
            let versions = try rows.map { try $0.decode(Int.self, "version") }
            #expect(versions == Array(1...8), "\(rows)")
            #expect(try rows.allSatisfy { try $0.decode(String.self, "state") == "applied" }, "\(rows)")
            let tables = try db.queryValue(Int.self, "SELECT COUNT(*) FROM pg_tables WHERE tablename LIKE 'widgets_%'")
            #expect(tables == 8)
            print("migrate across failover: 8 versions, each once; lost \(8 - versions.count), doubled \(versions.count - Set(versions).count)")
        }
    }

    @Test("purge --export interrupted by a failover: every purged row exported exactly once, nothing else deleted")
    func purgeAcrossFailover() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let db = try database.connect()
            try insertRuns(3_000, status: "succeeded", into: db)
            try insertRuns(7, status: "running", into: db)
            db.close()
            let file = try TemporaryDirectory.make().appending("purged.jsonl")
            let arguments = ["purge", "--succeeded-older-than", "30d", "--batch-size", "25", "--export", file, "--database", database.urlString]
            let first = try taskwarden.start(arguments + ["--pause", "10ms"])
            Thread.sleep(forTimeInterval: 1.0)
            try failOver()
            let exportedBefore = try exportedIDs(file).count
            _ = try finishOrRerun(first, arguments, "purge")
            let check = try database.connect()
            defer { check.close() }
            let ids = try exportedIDs(file)
            let remaining = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs")
            #expect(remaining == 7)
            #expect(ids.count == 3_000, "\(ids.count) exported")
            #expect(Set(ids).count == ids.count, "duplicates in the export")
            #expect(exportedBefore > 0 && exportedBefore < 3_000, "the failover did not fall inside the purge: \(exportedBefore)")
            print("purge across failover: \(exportedBefore) rows exported before the failover, 3000 in all; lost \(3_000 - Set(ids).count), doubled \(ids.count - Set(ids).count), live runs kept \(remaining)/7")
        }
    }

    @Test("reset interrupted by a failover: every run changed, exactly one journal entry each")
    func resetAcrossFailover() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let db = try database.connect()
            try insertRuns(20_000, status: "running", into: db)
            db.close()
            let arguments = ["reset", "--status", "running", "--to", "failed", "--reason", "failover", "--batch-size", "10", "--yes", "--database", database.urlString]
            let first = try taskwarden.start(arguments)
            Thread.sleep(forTimeInterval: 0.8)
            try failOver()
            let status = try finishOrRerun(first, arguments, "reset")
            #expect(status == 4, "the failover did not fall inside the reset")
            let check = try database.connect()
            defer { check.close() }
            let failed = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'failed'")
            let entries = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_run_events WHERE operation = 'reset'")
            let distinct = try check.queryValue(Int.self, "SELECT COUNT(DISTINCT run_id) FROM task_run_events WHERE operation = 'reset'")
            let batches = try check.queryValue(Int.self, "SELECT COUNT(DISTINCT batch_id) FROM task_run_events")
            let firstBatch = try check.queryValue(
                Int.self, "SELECT COUNT(*) FROM task_run_events WHERE batch_id = (SELECT MIN(batch_id) FROM task_run_events)")
            #expect(failed == 20_000)
            #expect(entries == 20_000 && distinct == 20_000, "\(entries) entries for \(distinct) runs")
            print("reset across failover: 20000 runs, \(firstBatch) changed before the failover, in \(batches) journal batch(es); lost \(20_000 - failed), doubled \(entries - distinct)")
        }
    }

    @Test("worker helpers across a failover: every start, heartbeat and finish lands once, by the helpers' own retries")
    func workerHelpersAcrossFailover() async throws {
        let database = try migrated()
        defer { database.drop() }
        try await onOwnThread {
            let admin = try database.connect()
            try admin.execute("INSERT INTO task_runs (kind, status, max_attempts) SELECT 'job', 'queued', 3 FROM generate_series(1, 600)", [])
            let ids = try admin.query("SELECT id FROM task_runs ORDER BY id", []).map { try $0.decode(Int64.self, "id") }
            admin.close()
            let pool = DatabaseDrivers.pool(try database.url)
            defer { pool.close() }
            let lifecycle = RunLifecycle(database: pool)
            let window = FailoverWindow()
            let done = DispatchGroup()
            for worker in 0..<8 {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    for (index, id) in ids.enumerated() where index % 8 == worker {
                        let started = ContinuousClock.now
                        do {
                            let ticket = try lifecycle.start(.integer(id))
                            try lifecycle.heartbeat(ticket)
                            Thread.sleep(forTimeInterval: 0.02)
                            try lifecycle.finish(ticket, .succeeded(message: "across failover"))
                            window.record(from: started, to: .now)
                        } catch {
                            window.fail("run \(id): \(error)")
                        }
                    }
                }
            }
            Thread.sleep(forTimeInterval: 0.7)
            window.begin()
            let promotedAfter = try failOver().promotedAfter
            window.end(after: promotedAfter)
            #expect(done.wait(timeout: .now() + 180) == .success, "workers did not finish within 180 s")
            #expect(window.failures.isEmpty, "\(window.failures.count) failed: \(window.failures.prefix(3))")
            let check = try database.connect()
            defer { check.close() }
            let landed = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'")
            let doubled = try check.queryValue(Int.self, "SELECT COUNT(*) FROM task_runs WHERE attempt > 1")
            #expect(landed == 600)
            #expect(doubled == 0)
            #expect(window.overlapping > 0, "no run was in flight during the failover")
            print("worker helpers across failover: 600 runs, \(window.overlapping) in flight between the primary's crash and the promotion (slowest run \(window.longest)), lost \(600 - landed), doubled \(doubled)")
        }
    }
}

/// Which runs were in flight while the failover ran.
final class FailoverWindow: @unchecked Sendable {
    private let lock = NSLock()
    private var start: ContinuousClock.Instant?
    private var finish: ContinuousClock.Instant?
    private var spans: [(ContinuousClock.Instant, ContinuousClock.Instant)] = []
    private(set) var failures: [String] = []

    func begin() { lock.withLock { start = .now } }
    /// The failover is over once the standby is promoted, `duration` after ``begin()``.
    func end(after duration: Duration) { lock.withLock { finish = start.map { $0 + duration } } }
    func record(from: ContinuousClock.Instant, to: ContinuousClock.Instant) { lock.withLock { spans.append((from, to)) } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }

    /// Runs whose start-to-finish overlapped the failover.
    var overlapping: Int {
        lock.withLock {
            guard let start, let finish else { return 0 }
            return spans.filter { $0.0 < finish && $0.1 > start }.count
        }
    }

    var longest: Duration {
        lock.withLock { spans.map { $0.1 - $0.0 }.max() ?? .zero }
    }
}

extension String {
    /// The first line, cut to 160 characters, for a figure line.
    var oneLineForReport: String {
        String((split(separator: "\n").first ?? "").prefix(160))
    }
}
