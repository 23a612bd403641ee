import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden stats`: counts, oldest running run, stuck count, recent finishes, size.
struct StatsCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts by status and kind, the oldest running run, stuck runs, recent finishes, size on disk.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, configuration in
            let stats = try runs.stats(policy: configuration.stuck)
            if globals.json {
                JSONOutput.print(StatsJSON(stats, table: runs.table.name.description))
                return
            }
            print("\(runs.table.name): \(stats.total) run(s)" + (stats.tableBytes.map { ", \(ByteCountFormatter.string(fromByteCount: $0, countStyle: .binary)) on disk" } ?? ""))
            let rows = stats.counts.map { [$0.status?.rawValue ?? "(unmapped)", RunText.safe($0.value), RunText.safe($0.kind), String($0.count)] }
            TextTable(header: ["STATUS", "VALUE", "KIND", "RUNS"], rows: rows).lines.forEach { print("  " + $0) }
            if let oldest = stats.oldestRunning, let age = stats.oldestRunningAge {
                print("oldest running: last sign of life \(oldest) (\(RunText.age(age)) ago)")
            }
            print("stuck (threshold \(stats.stuckThreshold.compactText), per-kind overrides applied): \(stats.stuckCount)")
            if !stats.finishedLastDay.isEmpty || !stats.finishedLastHour.isEmpty {
                let hour = stats.finishedLastHour.sorted { $0.key < $1.key }.map { "\(RunText.safe($0.key)) \($0.value)" }.joined(separator: ", ")
                let day = stats.finishedLastDay.sorted { $0.key < $1.key }.map { "\(RunText.safe($0.key)) \($0.value)" }.joined(separator: ", ")
                print("finished in the last hour: \(hour.isEmpty ? "none" : hour); last day: \(day.isEmpty ? "none" : day)")
            }
        }
    }

    struct StatsJSON: Encodable {
        struct Count: Encodable {
            let status: String?
            let value: String
            let kind: String?
            let count: Int
        }
        let ok = true
        let table: String
        let total: Int
        let counts: [Count]
        let oldestRunning: String?
        let oldestRunningSeconds: Double?
        let stuck: Int
        let stuckThresholdSeconds: Double
        let finishedLastHour: [String: Int]
        let finishedLastDay: [String: Int]
        let tableBytes: Int64?

        init(_ stats: TaskStats, table: String) {
            self.table = table
            total = stats.total
            counts = stats.counts.map { Count(status: $0.status?.rawValue, value: $0.value, kind: $0.kind, count: $0.count) }
            oldestRunning = stats.oldestRunning?.iso8601
            oldestRunningSeconds = stats.oldestRunningAge?.seconds
            stuck = stats.stuckCount
            stuckThresholdSeconds = stats.stuckThreshold.seconds
            finishedLastHour = stats.finishedLastHour
            finishedLastDay = stats.finishedLastDay
            tableBytes = stats.tableBytes
        }
    }
}
