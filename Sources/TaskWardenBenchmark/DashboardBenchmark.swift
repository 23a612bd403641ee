import Foundation
import Logging
import TaskWarden
import TaskWardenSQL

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The dashboard's figures on one backend.
struct DashboardResult: Encodable {
    /// One page's response times over its samples.
    struct Page: Encodable {
        let name: String
        let path: String
        let samples: Int
        /// The first request, before any warm-up: what the first operator to open it waits.
        let firstMilliseconds: Double
        let p50Milliseconds: Double
        let p95Milliseconds: Double
        let maxMilliseconds: Double
        /// Rows the page listed (runs browser), as a check that it showed something.
        let rows: Int
    }

    var backend = ""
    var server = ""
    var rows = 0
    var layout = ""
    var serverSettings: [String: String] = [:]
    var seedSeconds = 0.0
    var pages: [Page] = []
    /// The purge run from the dashboard (preview, confirm, tracked operation).
    var purgePreviewSeconds = 0.0
    var purgedRows = 0
    var purgeSeconds = 0.0
    /// The serving process's resident set before the purge and its peak while it ran.
    var rssBeforePurgeMegabytes = 0.0
    var rssPeakDuringPurgeMegabytes = 0.0
    var rssAfterPurgeMegabytes = 0.0
    /// Where the resident memory is after the purge: /proc's RssAnon (the heap), RssFile
    /// (mapped files) and RssShmem (shared memory, e.g. SQLite's WAL index), in kB.
    var memoryAfterPurge: [String: Int] = [:]
    /// The overview's response times while the purge ran, one request a second.
    var overviewDuringPurgeP50Milliseconds = 0.0
    var overviewDuringPurgeMaxMilliseconds = 0.0
}

/// The dashboard on a big table, served as in production by `taskwarden watch --http` (a
/// separate process): the overview and the runs browser, with the filters operators use, timed
/// over several requests each, then a purge of a third of the table run from the dashboard's
/// pipeline while the server's resident memory is sampled.
///
/// Page times include the HTTP round trip on loopback; the first requests of each page are
/// not counted (the server's statement caches and the database's pages warm up as they would
/// after a minute of use).
struct DashboardBenchmark {
    let url: DatabaseURL
    let rows: Int
    let layout: String
    let taskwarden: String
    static let warmups = 2
    static let samples = 15
    static let stuckRuns = 20

    func run() throws -> DashboardResult {
        let db = try DatabaseDrivers.connect(url)
        defer { db.close() }
        var result = DashboardResult(backend: db.backend.rawValue, server: "\(db.dialect) \(db.serverVersion)", rows: rows, layout: layout)
        result.serverSettings = try BackendBenchmark.serverSettings(of: db)
        var quiet = Logger(label: "taskwarden.bench")
        quiet.logLevel = .warning
        _ = try Migrator(
            connection: db, set: try MigrationSet.builtIn(for: db.dialect), logger: quiet, openLockConnection: { try DatabaseDrivers.connect(url) }
        ).up()
        try db.executeScript(BenchmarkSQL.Empty())
        result.seedSeconds = try seedRuns(db, rows: rows, layout: layout, liveRuns: BackendBenchmark.liveRuns)

        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("taskwarden-dashboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let token = UUID().uuidString + UUID().uuidString
        try Data((token + "\n").utf8).write(to: work.appendingPathComponent("admin-token"))
        // The URL carries the servers' password: in a file, never on a command line.
        try Data((try PurgeRun.urlText(url) + "\n").utf8).write(to: work.appendingPathComponent("database-url"))
        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: taskwarden)
        server.currentDirectoryURL = work
        server.arguments = [
            "watch", "--database-file", work.appendingPathComponent("database-url").path, "--http", "127.0.0.1:\(port)", "--every", "1h",
            "--admin-token-file", work.appendingPathComponent("admin-token").path,
        ]
        let serverLog = work.appendingPathComponent("watch.log")
        _ = FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: serverLog)
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
            try? logHandle.close()
        }
        let client = DashboardClient(base: "http://127.0.0.1:\(port)", token: token)
        do {
            // From the metrics, not the overview: the overview's first request is one of the figures.
            try client.waitUntil("the server's first cycle") {
                (try? client.get("/metrics"))?.body.split(separator: "\n").contains {
                    $0.hasPrefix("taskwarden_watch_last_success_timestamp_seconds") && !$0.hasSuffix(" 0") && !$0.hasSuffix(" 0.0")
                } ?? false
            }
            // Stuck runs after the first cycle (the next is an hour away), so the overview and the
            // stuck page have some to show.
            let now = try DatabaseClock.now(on: db)
            try db.inTransaction { db in
                for _ in 0..<Self.stuckRuns {
                    try db.execute(BenchmarkSQL.InsertRunning(kind: "stuck", startedAt: .timestamp(now.adding(seconds: -7_200)), heartbeatAt: .null))
                }
            }
            result.pages = try timePages(client, db: db)
            try purge(client, pid: server.processIdentifier, into: &result)
        } catch {
            let text = (try? String(contentsOf: serverLog, encoding: .utf8)) ?? ""
            throw BenchmarkError("\(error); the server's log ends: \(text.suffix(2_000))")
        }
        try db.executeScript(BenchmarkSQL.Empty())
        return result
    }

    /// The pages timed: the overview, the runs browser unfiltered and with each filter (common
    /// values and rare ones, which make the database look further), a deep "show more" page,
    /// and a run's page.
    private func timePages(_ client: DashboardClient, db: any DatabaseConnection) throws -> [DashboardResult.Page] {
        let middle = rows / 2
        let pages: [(String, String)] = [
            ("overview", "/ui/"),
            ("runs: newest", "/ui/runs?table=task_runs"),
            ("runs: status failed", "/ui/runs?table=task_runs&status=failed"),
            ("runs: status running", "/ui/runs?table=task_runs&status=running"),
            ("runs: status cancelled (none)", "/ui/runs?table=task_runs&status=cancelled"),
            ("runs: kind kind_7", "/ui/runs?table=task_runs&kind=kind_7"),
            ("runs: kind stuck (20 runs)", "/ui/runs?table=task_runs&kind=stuck"),
            ("runs: worker worker-3", "/ui/runs?table=task_runs&worker=worker-3"),
            ("runs: status+kind+worker", "/ui/runs?table=task_runs&status=failed&kind=kind_5&worker=worker-5"),
            ("runs: started in the last 1h", "/ui/runs?table=task_runs&since=1h"),
            ("runs: show more, mid-table", "/ui/runs?table=task_runs&before=\(middle)"),
            ("run page", "/ui/run?table=task_runs&id=\(middle)"),
            ("stuck runs", "/ui/stuck?table=task_runs"),
        ]
        var timed: [DashboardResult.Page] = []
        for (name, path) in pages {
            var milliseconds: [Double] = []
            var first = 0.0
            var rows = 0
            for sample in 0..<(Self.warmups + Self.samples) {
                let response = try client.get(path)
                guard response.status == 200 else { throw BenchmarkError("\(path) answered \(response.status): \(response.body.prefix(500))") }
                if sample == 0 { first = response.milliseconds }
                if sample >= Self.warmups { milliseconds.append(response.milliseconds) }
                rows = response.body.components(separatedBy: "<tr").count - 1
            }
            let page = DashboardResult.Page(
                name: name, path: path, samples: milliseconds.count, firstMilliseconds: first, p50Milliseconds: percentile(milliseconds, 0.5),
                p95Milliseconds: percentile(milliseconds, 0.95), maxMilliseconds: milliseconds.max() ?? 0, rows: rows)
            log("\(name): first \(format(first)) ms, p50 \(format(page.p50Milliseconds)) ms, p95 \(format(page.p95Milliseconds)) ms, max \(format(page.maxMilliseconds)) ms")
            timed.append(page)
        }
        return timed
    }

    /// Purges the runs finished more than 90 days ago (a third of the table) through the
    /// dashboard: its preview, the confirmation with the count it showed, then the tracked
    /// operation, polled until done, while the server's RSS is sampled every 20 ms and the
    /// overview requested every second.
    private func purge(_ client: DashboardClient, pid: Int32, into result: inout DashboardResult) throws {
        let clock = ContinuousClock()
        let previewStart = clock.now
        let preview = try client.get("/ui/purge?table=task_runs&older_than=90d")
        result.purgePreviewSeconds = (clock.now - previewStart).seconds
        guard preview.status == 200, let found = Self.firstNumber(after: "<p><strong>", in: preview.body), found > 0 else {
            throw BenchmarkError("the purge preview answered \(preview.status) with no count: \(preview.body.prefix(500))")
        }
        log("purge preview: \(found) runs, \(format(result.purgePreviewSeconds)) s")
        result.rssBeforePurgeMegabytes = Self.residentMegabytes(pid: pid)
        let sampler = RSSSampler(pid: pid)
        sampler.start()
        let start = clock.now
        let confirmed = try client.post(
            "/ui/purge", form: ["table": "task_runs", "older_than": "90d", "count": String(found), "reason": "dashboard benchmark", "actor": "bench"])
        guard confirmed.status == 200, let operation = confirmed.url.range(of: "/ui/operation?") else {
            throw BenchmarkError("the purge's confirmation answered \(confirmed.status) at \(confirmed.url): \(confirmed.body.prefix(500))")
        }
        let operationPath = String(confirmed.url[operation.lowerBound...])
        var overview: [Double] = []
        var page = confirmed
        while !page.body.contains("Done:") {
            guard !page.body.contains("Failed:"), !page.body.contains("Stopped") else { throw BenchmarkError("the purge failed: \(page.body.prefix(800))") }
            guard clock.now - start < .seconds(3_600) else { throw BenchmarkError("the purge did not finish within an hour") }
            Thread.sleep(forTimeInterval: 1)
            overview.append(try client.get("/ui/").milliseconds)
            page = try client.get(operationPath)
        }
        result.purgeSeconds = (clock.now - start).seconds
        result.rssPeakDuringPurgeMegabytes = sampler.stop()
        result.rssAfterPurgeMegabytes = Self.residentMegabytes(pid: pid)
        result.memoryAfterPurge = Self.memoryBreakdown(pid: pid)
        result.purgedRows = Self.firstNumber(after: "Done: ", in: page.body) ?? 0
        result.overviewDuringPurgeP50Milliseconds = percentile(overview, 0.5)
        result.overviewDuringPurgeMaxMilliseconds = overview.max() ?? 0
        log(
            "purge from the dashboard: \(result.purgedRows) runs in \(format(result.purgeSeconds)) s; RSS \(format(result.rssBeforePurgeMegabytes)) MB before, "
                + "peak \(format(result.rssPeakDuringPurgeMegabytes)) MB, \(format(result.rssAfterPurgeMegabytes)) MB after; overview meanwhile p50 "
                + "\(format(result.overviewDuringPurgeP50Milliseconds)) ms, max \(format(result.overviewDuringPurgeMaxMilliseconds)) ms; after it (kB) "
                + result.memoryAfterPurge.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    static func firstNumber(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// RssAnon, RssFile and RssShmem of a process, in kB.
    static func memoryBreakdown(pid: Int32) -> [String: Int] {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [:] }
        var found: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let name = fields.first?.dropLast(), ["RssAnon", "RssFile", "RssShmem"].contains(name), fields.count > 1 else { continue }
            found[String(name)] = Int(fields[1])
        }
        return found
    }

    /// VmRSS, the resident set now, in megabytes.
    static func residentMegabytes(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "").map { $0 / 1_024 } ?? 0
        }
        return 0
    }

    /// A port nobody listens on now: bound to port 0, read back, closed.
    private func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchmarkError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The peak VmRSS of a process, sampled on a thread of its own every 20 ms until stopped.
private final class RSSSampler: @unchecked Sendable {
    private let pid: Int32
    private let lock = NSLock()
    private var running = false
    private var peak = 0.0
    private let finished = DispatchSemaphore(value: 0)

    init(pid: Int32) { self.pid = pid }

    func start() {
        lock.withLock { running = true }
        Thread { [self] in
            defer { finished.signal() }
            while lock.withLock({ running }) {
                let now = DashboardBenchmark.residentMegabytes(pid: pid)
                lock.withLock { peak = max(peak, now) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }.start()
    }

    /// Stops sampling and returns the peak in megabytes.
    func stop() -> Double {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { peak }
    }
}

/// The benchmark's HTTP client: blocking requests with the admin token as a bearer (which
/// needs no form token), timed to the last byte of the body.
struct DashboardClient: Sendable {
    struct Response {
        let status: Int
        let body: String
        /// Where the request ended, after redirects.
        let url: String
        let milliseconds: Double
    }

    let base: String
    let token: String
    /// A purge's preview on a big table reads for minutes: no default one-minute timeout.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = 1_800
        configuration.timeoutIntervalForResource = 1_800
        return URLSession(configuration: configuration)
    }()

    func get(_ path: String) throws -> Response { try send(path, method: "GET", body: nil) }

    func post(_ path: String, form: [String: String]) throws -> Response {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try send(path, method: "POST", body: Data(body.utf8))
    }

    func waitUntil(_ what: String, seconds: Double = 60, _ ready: () -> Bool) throws {
        let clock = ContinuousClock()
        let start = clock.now
        while !ready() {
            guard clock.now - start < .seconds(seconds) else { throw BenchmarkError("\(what) did not come within \(Int(seconds)) s") }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    private func send(_ path: String, method: String, body: Data?) throws -> Response {
        guard let url = URL(string: base + path) else { throw BenchmarkError("bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 1_800)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let clock = ContinuousClock()
        let start = clock.now
        Self.session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }.resume()
        done.wait()
        let milliseconds = (clock.now - start).seconds * 1_000
        let (data, response, error) = box.get()
        guard let response else { throw BenchmarkError("\(method) \(path): \(error.map { "\($0)" } ?? "no response")") }
        return Response(
            status: response.statusCode, body: String(decoding: data ?? Data(), as: UTF8.self), url: response.url?.absoluteString ?? "",
            milliseconds: milliseconds)
    }
}

private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: HTTPURLResponse?
    private var error: (any Error)?
    func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        lock.withLock { (self.data, self.response, self.error) = (data, response, error) }
    }
    func get() -> (Data?, HTTPURLResponse?, (any Error)?) { lock.withLock { (data, response, error) } }
}
