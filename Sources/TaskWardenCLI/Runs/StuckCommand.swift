import ArgumentParser
import TaskWarden

/// `taskwarden stuck`: lists running runs with no sign of life past their threshold.
struct StuckCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "stuck",
        abstract: "List runs that are running but silent past their threshold (by the database's clock).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @OptionGroup var selection: StuckSelection


    @Flag(help: "Exit 9 when stuck runs are found (for cron and monitoring).")
    var exitCode = false

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, configuration in
            let stuck = try runs.findStuck(policy: configuration.stuck.overridden(by: selection.olderThan), kind: selection.kind, limit: selection.limit)
            if globals.json {
                JSONOutput.print(StuckJSON(stuck: stuck.map(StuckRunJSON.init)))
            } else if stuck.isEmpty {
                print("no stuck runs in \(runs.table.name)")
            } else {
                let rows = stuck.map {
                    [RunText.id($0.id), RunText.safe($0.kind), RunText.safe($0.status), RunText.time($0.startedAt), RunText.time($0.lastSeen), RunText.age($0.silentFor), $0.threshold.compactText]
                }
                TextTable(header: ["ID", "KIND", "STATUS", "STARTED", "LAST SIGN OF LIFE", "SILENT FOR", "THRESHOLD"], rows: rows).lines.forEach { print($0) }
                print("\(stuck.count) stuck run(s) in \(runs.table.name); recover with 'taskwarden recover --dry-run' first")
            }
            if exitCode && !stuck.isEmpty { throw ExitCode(ExitStatus.attention.code) }
        }
    }

    struct StuckJSON: Encodable {
        let ok = true
        let stuck: [StuckRunJSON]
    }
}

/// JSON of a stuck run.
struct StuckRunJSON: Encodable {
    let id: String
    let kind: String?
    let status: String
    let startedAt: String?
    let heartbeatAt: String?
    let lastSeen: String
    let silentSeconds: Double
    let thresholdSeconds: Double

    init(_ run: StuckRun) {
        id = run.id.plainText
        kind = run.kind
        status = run.status
        startedAt = run.startedAt?.iso8601
        heartbeatAt = run.heartbeatAt?.iso8601
        lastSeen = run.lastSeen.iso8601
        silentSeconds = run.silentFor.seconds
        thresholdSeconds = run.threshold.seconds
    }
}
