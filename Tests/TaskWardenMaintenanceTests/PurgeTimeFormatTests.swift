import Foundation
import TaskWarden
import TaskWardenTestSupport
import Testing

/// Purge walks `(finished_at, id)` from each batch's last key: the key must go back to the
/// database exactly as the table stores it, or a batch boundary compares wrongly and the walk
/// stops early (SQLite text with fewer than six fraction digits, re-sent with six).
@Suite("Purge over times written by other writers")
struct PurgeTimeFormatTests {
    /// How a writer other than TaskWarden stored finish times.
    enum Writer: String, CaseIterable, CustomStringConvertible {
        /// The database's own clock function: SQLite `datetime('now')` (whole seconds, a space).
        case databaseNow
        /// Python's `isoformat()`: with microseconds, and without them when they are zero.
        case pythonIsoformat
        /// Unix epoch seconds.
        case unixEpoch

        var description: String { rawValue }

        var timeFormat: String {
            switch self {
            case .databaseNow: "native"
            case .pythonIsoformat: "iso8601"
            case .unixEpoch: "unix_seconds"
            }
        }

        func columnType(_ backend: TestBackend) -> String {
            switch (self, backend) {
            case (.databaseNow, .mysql): "DATETIME NULL"
            case (.databaseNow, _): "TIMESTAMP NULL"
            // Django declares its SQLite datetime columns "datetime" and stores isoformat() text.
            case (.pythonIsoformat, .sqlite): "DATETIME NULL"
            case (.pythonIsoformat, _): "VARCHAR(40) NULL"
            case (.unixEpoch, _): "BIGINT NULL"
            }
        }

        /// SQL for a time `days` ago, or a value to bind, as this writer writes it.
        func finishedAt(daysAgo days: Int, second: Int, micro: Int, now: Timestamp, backend: TestBackend) -> (sql: String, value: DatabaseValue?) {
            switch self {
            case .databaseNow:
                switch backend {
                case .sqlite: return ("datetime('now', '-\(days) days', 'start of day', '+\(second) seconds')", nil)
                case .postgresql: return ("date_trunc('day', now() - interval '\(days) days') + interval '\(second) seconds'", nil)
                case .mysql: return ("DATE(NOW() - INTERVAL \(days) DAY) + INTERVAL \(second) SECOND", nil)
                }
            case .pythonIsoformat:
                let day = now.adding(seconds: -Double(days) * 86_400).components
                var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", day.year, day.month, day.day, second / 3_600, second / 60 % 60, second % 60)
                if micro != 0 { text += String(format: ".%06d", micro) }
                return ("?", .text(text))
            case .unixEpoch:
                let seconds = (now.microsecondsSinceEpoch / 1_000_000 / 86_400 - Int64(days)) * 86_400 + Int64(second)
                return ("?", .integer(seconds))
            }
        }
    }

    static let cases: [(TestBackend, Writer)] = TestBackend.allCases.flatMap { backend in Writer.allCases.map { (backend, $0) } }

    @Test("every old run is purged, in batches that end on equal times, plain and exported", arguments: cases)
    func purgeWalksForeignTimes(backend: TestBackend, writer: Writer) throws {
        for exported in [false, true] {
            let fixture = try RunFixture(backend)
            defer { fixture.close() }
            let db = fixture.connection
            try db.execute("CREATE TABLE foreign_runs (id INTEGER PRIMARY KEY, status VARCHAR(16) NOT NULL, started_at \(writer.columnType(backend)), finished_at \(writer.columnType(backend)))", [])
            // 45 old runs: runs of 9 with the same finish second (some with microseconds, most
            // without), so batch boundaries fall inside a run of equal times; 5 recent runs.
            var id = 0
            for (days, count) in [(100, 45), (1, 5)] {
                for index in 0..<count {
                    id += 1
                    let second = 3_600 + index / 9
                    let time = writer.finishedAt(daysAgo: days, second: second, micro: index % 9 == 4 ? 250_000 : 0, now: fixture.now, backend: backend)
                    let sql = time.sql.replacingOccurrences(of: "?", with: db.dialect.placeholder(1))
                    try db.execute("INSERT INTO foreign_runs (id, status, finished_at) VALUES (\(id), 'succeeded', \(sql))", time.value.map { [$0] } ?? [])
                }
            }
            let config = try TaskWardenConfiguration.parse(
                "table: {name: foreign_runs, columns: {started_at: started_at, finished_at: finished_at}, time_format: \(writer.timeFormat)}")
            let runs = TaskRuns(connection: db, table: config.table, actor: "tester")
            var options = PurgeOptions(retention: RetentionPolicy(statuses: [.succeeded: .seconds(30 * 86_400)]))
            options.batchSize = 7
            let directory = try TemporaryDirectory.make()
            if exported { options.exportPath = directory.appending("runs.jsonl") }

            var dry = options
            dry.dryRun = true
            #expect(try runs.purge(dry).rows == 45, "the count itself")
            // 45 rows in batches of 7 take 7 batches: a walk that never leaves a batch (or
            // deletes nothing from it, and goes on) is stopped.
            var batches = 0
            let summary = try runs.purge(options, shouldStop: {
                batches += 1
                return batches > 50
            })
            #expect(summary.stoppedEarly == nil, "the walk did not advance")
            #expect(summary.rows == 45, "\(writer) on \(backend), exported: \(exported): purged \(summary.rows) of 45")
            #expect(try db.queryValue(Int.self, "SELECT COUNT(*) FROM foreign_runs") == 5)
            if exported {
                let lines = try String(contentsOfFile: directory.appending("runs.jsonl"), encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 45)
            }
        }
    }
}
