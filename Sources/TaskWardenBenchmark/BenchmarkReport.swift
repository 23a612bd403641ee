import Foundation

/// The results of all backends, with the machine they were measured on.
struct BenchmarkReport: Encodable {
    struct Machine: Encodable {
        let cores: Int
        let memoryGigabytes: Double
        let system: String
        let date: String

        static var current: Machine {
            let info = ProcessInfo.processInfo
            let formatter = ISO8601DateFormatter()
            return Machine(
                cores: info.processorCount, memoryGigabytes: Double(info.physicalMemory) / 1_073_741_824,
                system: info.operatingSystemVersionString, date: formatter.string(from: Date()))
        }
    }

    let machine: Machine
    let rows: Int
    let batchSize: Int
    let layout: String
    let strategy: String
    /// Rounds of the single DELETE and the purge alone; their figures are medians.
    let rounds: Int
    let results: [BackendResult]
    /// reset, recover and undo of N runs against one UPDATE.
    let changes: [ChangeResult]
    /// Celery's backend_cleanup against the celery_taskmeta preset's purge.
    var celery: [CeleryCleanupResult] = []
    /// The dashboard's page times and its purge on a big table.
    var dashboard: [DashboardResult] = []

    /// The targets of the purge issue, checked against each backend's figures.
    var table: String {
        let machineText = "\(machine.cores) cores, \(String(format: "%.0f", machine.memoryGigabytes)) GiB, \(machine.date)"
        var lines = [
            results.isEmpty
                ? "layout \(layout), \(machineText)"
                : "rows \(rows), batch \(batchSize), layout \(layout), --strategy \(strategy), medians of \(rounds) rounds, \(machineText)",
            "",
        ]
        let header = ["metric", "target"] + results.map(\.backend)
        var rows: [[String]] = [header]
        func row(_ name: String, _ target: String, _ value: (BackendResult) -> String) { rows.append([name, target] + results.map(value)) }
        row("server", "", \.server)
        row("purgeable rows", "", { String($0.purgeableRows) })
        row("purge order taken", "", { $0.purgeOrder })
        row("single DELETE (s)", "", { format($0.singleDeleteSeconds) })
        row("  then background cleanup (s)", "", { format($0.singleDeleteCleanupSeconds) })
        row("purge alone (s)", "", { format($0.purgeSeconds) })
        row("  then background cleanup (s)", "", { format($0.purgeCleanupSeconds) })
        row("purge / single DELETE throughput", ">= 0.70", { format($0.throughputRatio) })
        row("  the same, statement time only", "", { format($0.statementThroughputRatio) })
        row("pt-archiver --bulk-delete (s, then cleanup)", "", { $0.ptArchiverSeconds > 0 ? "\(format($0.ptArchiverSeconds)) + \(format($0.ptArchiverCleanupSeconds))" : "-" })
        row("pt-archiver / single DELETE throughput", "", { $0.ptArchiverSeconds > 0 ? format($0.ptArchiverRatio) : "-" })
        row("purge with a busy worker (s)", "", { format($0.purgeWithWorkerSeconds) })
        row("longest batch, with the worker (ms)", "< 250", { format($0.longestBatchMilliseconds) })
        row("worker UPDATE p50 (ms)", "", { format($0.workerP50Milliseconds) })
        row("worker UPDATE p99 (ms)", "< 100", { format($0.workerP99Milliseconds) })
        row("worker UPDATEs during purge", "", { String($0.workerUpdates) })
        row("purge peak RSS (MB)", "< 64", { format($0.purgePeakRSSMegabytes) })
        row("recover 100 stuck, big table (ms, median)", "", { format($0.recoverBigTableMilliseconds) })
        row("recover 100 stuck, 10k table (ms, median)", "", { format($0.recoverSmallTableMilliseconds) })
        row("recover big / small", "<= 2.0", { format($0.recoverRatio) })
        let settings = Set(results.flatMap(\.serverSettings.keys)).sorted()
        for name in settings { row("setting: \(name)", "", { $0.serverSettings[name] ?? "" }) }
        if !results.isEmpty { lines += Self.aligned(rows) }
        if !changes.isEmpty {
            lines += [
                "",
                "reset, recover (journaled) and undo of N runs, each a process, against one unjournaled UPDATE;",
                "undo also against one UPDATE putting the runs back right after it (revert: the same change, on the table as a change leaves it)",
            ]
            var table: [[String]] = [[
                "backend", "runs", "UPDATE (s)", "reset (s)", "x", "recover (s)", "x", "revert (s)", "undo (s)", "x revert", "x UPDATE",
                "peak RSS reset/recover/undo (MB)",
                "longest batch reset/recover/undo (ms)", "worker p99 / max during reset (ms)",
            ]]
            for change in changes {
                table.append([
                    change.backend, String(change.runs), format(change.singleUpdateSeconds), format(change.resetSeconds), format(change.resetRatio),
                    format(change.recoverSeconds), format(change.recoverRatio), format(change.singleRevertSeconds), format(change.undoSeconds),
                    format(change.undoRatio), format(change.undoRatioToUpdate),
                    "\(format(change.resetPeakRSSMegabytes)) / \(format(change.recoverPeakRSSMegabytes)) / \(format(change.undoPeakRSSMegabytes))",
                    "\(format(change.resetLongestBatchMilliseconds)) / \(format(change.recoverLongestBatchMilliseconds)) / \(format(change.undoLongestBatchMilliseconds))",
                    "\(format(change.resetWorkerP99Milliseconds)) / \(format(change.resetWorkerMaxMilliseconds))",
                ])
            }
            lines += Self.aligned(table)
            for change in changes {
                lines.append("settings (\(change.backend)): " + Self.settingsText(change.serverSettings))
            }
        }
        if !celery.isEmpty {
            lines += [
                "",
                "Celery's backend_cleanup (one DELETE of the results older than \(CeleryCleanupBenchmark.expiresDays) days) against taskwarden purge with preset celery_taskmeta, while a worker stores results",
            ]
            var table: [[String]] = [[
                "backend", "results", "expired", "backend_cleanup (s, + background)", "purge (s, + background)", "purge / cleanup throughput", "purge order",
                "batches", "longest batch (ms)", "worker INSERT p50/p99/max during cleanup (ms)", "during purge (ms)",
            ]]
            for run in celery {
                table.append([
                    run.backend, String(run.rows), String(run.expiredRows), "\(format(run.cleanupSeconds)) + \(format(run.cleanupBackgroundSeconds))",
                    "\(format(run.purgeSeconds)) + \(format(run.purgeBackgroundSeconds))", format(run.throughputRatio), run.purgeOrder, String(run.purgeBatches),
                    format(run.purgeLongestBatchMilliseconds), run.workerDuringCleanup.text, run.workerDuringPurge.text,
                ])
            }
            lines += Self.aligned(table)
            for run in celery {
                lines.append("settings (\(run.backend)): " + Self.settingsText(run.serverSettings))
            }
        }
        if !dashboard.isEmpty {
            lines += ["", "the dashboard (taskwarden watch --http) on a big table: page times over \(DashboardBenchmark.samples) requests each (target < 200 ms)"]
            var table: [[String]] = [["page"] + dashboard.map { "\($0.backend) first; p50 / p95 / max (ms)" }]
            for (index, page) in (dashboard.first?.pages ?? []).enumerated() {
                table.append(
                    [page.name]
                        + dashboard.map { run in
                            run.pages.indices.contains(index)
                                ? "\(format(run.pages[index].firstMilliseconds)); \(format(run.pages[index].p50Milliseconds)) / \(format(run.pages[index].p95Milliseconds)) / \(format(run.pages[index].maxMilliseconds))" : "-"
                        })
            }
            table.append(["purge from the dashboard: preview (s)"] + dashboard.map { format($0.purgePreviewSeconds) })
            table.append(["  runs purged, in (s)"] + dashboard.map { "\($0.purgedRows) in \(format($0.purgeSeconds))" })
            table.append(["  server RSS before / peak during / after (MB)"] + dashboard.map {
                "\(format($0.rssBeforePurgeMegabytes)) / \(format($0.rssPeakDuringPurgeMegabytes)) / \(format($0.rssAfterPurgeMegabytes))"
            })
            table.append(["  overview meanwhile p50 / max (ms)"] + dashboard.map {
                "\(format($0.overviewDuringPurgeP50Milliseconds)) / \(format($0.overviewDuringPurgeMaxMilliseconds))"
            })
            lines += Self.aligned(table)
            for run in dashboard {
                lines.append("settings (\(run.backend), \(run.rows) runs, \(run.layout)): " + Self.settingsText(run.serverSettings))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Rows of cells as lines, each column padded to its widest cell.
    static func aligned(_ rows: [[String]]) -> [String] {
        let widths = (rows.first ?? []).indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { cells in cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
    }

    static func settingsText(_ settings: [String: String]) -> String {
        settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}
