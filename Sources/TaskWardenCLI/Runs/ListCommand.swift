import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden list`: runs newest first, filtered, a page at a time.
struct ListCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runs newest first, filtered by status, kind, queue, worker and age; page with --after.",
        discussion: """
            Each page ends with the id to pass to --after for the next one (keyset paging: a page \
            deep in a large table costs what the first one does). --jsonl prints one run per line.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Option(name: .customLong("status"), help: ArgumentHelp("Only runs with this status (repeatable).", valueName: "status"))
    var statuses: [TaskStatus] = []

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only runs of this kind (repeatable).", valueName: "kind"))
    var kinds: [String] = []

    @Option(help: ArgumentHelp("Only runs of this queue.", valueName: "queue"))
    var queue: String?

    @Option(help: ArgumentHelp("Only runs of this worker.", valueName: "worker"))
    var worker: String?

    @Option(help: ArgumentHelp("Only runs started within this long (e.g. 1h).", valueName: "duration"))
    var since: Duration?

    @Option(help: ArgumentHelp("Only runs finished longer ago than this.", valueName: "duration"))
    var finishedBefore: Duration?

    @Option(help: ArgumentHelp("Only running runs started longer ago than this.", valueName: "duration"))
    var runningLongerThan: Duration?

    @Option(help: ArgumentHelp("Only runs with an id below this one: the last id of the previous page.", valueName: "id"))
    var after: String?

    @Option(help: ArgumentHelp("At most this many runs (default 20).", valueName: "n"))
    var limit = 20

    @Flag(help: "One JSON object per run, per line.")
    var jsonl = false

    func validate() throws {
        try since.requirePositive("--since")
        try finishedBefore.requirePositive("--finished-before")
        try runningLongerThan.requirePositive("--running-longer-than")
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, _ in
            var filter = RunListFilter()
            filter.statuses = statuses
            filter.kinds = kinds
            filter.queue = queue
            filter.worker = worker
            filter.since = since
            filter.finishedBefore = finishedBefore
            filter.runningLongerThan = runningLongerThan
            filter.beforeID = after
            let listed = try runs.list(filter, limit: limit)
            let now = try DatabaseClock.now(on: runs.connection)
            if jsonl {
                for run in listed { JSONOutput.print(RunJSON(run)) }
            } else if globals.json {
                JSONOutput.print(ListJSON(runs: listed.map(RunJSON.init), next: listed.count == limit ? listed.last.map { $0.id.plainText } : nil))
            } else {
                let rows = listed.map { run -> [String] in
                    let age = run.startedAt.map { RunText.age(.microseconds(now.microsecondsSinceEpoch - $0.microsecondsSinceEpoch)) } ?? "-"
                    let lastSign = run.heartbeatAt ?? run.startedAt
                    let silent = run.status == .running
                        ? lastSign.map { RunText.age(.microseconds(now.microsecondsSinceEpoch - $0.microsecondsSinceEpoch)) } ?? "-" : ""
                    let note = run.note.map { String($0.split(separator: "\n", omittingEmptySubsequences: true).first ?? "").prefix(50) }.map(String.init)
                    return [
                        RunText.id(run.id), RunText.safe(run.kind ?? "-"), RunText.safe(run.statusValue), age, silent,
                        run.progress.map { String(format: "%.0f%%", $0) } ?? "", RunText.safe(run.worker ?? ""), RunText.safe(note ?? ""),
                    ]
                }
                TextTable(header: ["ID", "KIND", "STATUS", "AGE", "SILENT", "PROGRESS", "WORKER", "ERROR"], rows: rows).lines.forEach { print($0) }
                if listed.count == limit, let last = listed.last {
                    print("more: taskwarden list --after \(RunText.id(last.id)) (same filters)")
                } else {
                    print("\(listed.count) run(s)")
                }
            }
        }
    }

    struct RunJSON: Encodable {
        let id: String
        let status: String?
        let value: String
        let kind: String?
        let queue: String?
        let worker: String?
        let startedAt: String?
        let heartbeatAt: String?
        let finishedAt: String?
        let progress: Double?
        let error: String?

        init(_ run: RunSummary) {
            id = run.id.plainText
            status = run.status?.rawValue
            value = run.statusValue
            kind = run.kind
            queue = run.queue
            worker = run.worker
            startedAt = run.startedAt?.iso8601
            heartbeatAt = run.heartbeatAt?.iso8601
            finishedAt = run.finishedAt?.iso8601
            progress = run.progress
            error = run.note
        }
    }

    struct ListJSON: Encodable {
        let ok = true
        let runs: [RunJSON]
        /// The --after value for the next page, when this one was full.
        let next: String?
    }
}
