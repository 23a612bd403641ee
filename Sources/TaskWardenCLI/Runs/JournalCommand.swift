import ArgumentParser
import TaskWarden

/// `taskwarden journal`: what recover, reset, undo and cancel changed.
struct JournalCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "Show what TaskWarden changed: by batch, or since a time.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Option(help: ArgumentHelp("Entries newer than this: a duration (24h) or a time (2026-11-22T10:00:00Z).", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("Only this batch.", valueName: "batch"))
    var batch: String?

    @Option(help: ArgumentHelp("At most this many entries (default 1000; with --jsonl every entry).", valueName: "n"))
    var limit: Int?

    @Flag(help: "One JSON entry per line, every matching entry, read a page at a time (a batch of any size).")
    var jsonl = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if jsonl && globals.json { throw ValidationError("give --json or --jsonl, not both") }
    }

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, _ in
            var sinceTime: Timestamp?
            if let since {
                if let duration = try? Duration(parsing: since) {
                    sinceTime = try DatabaseClock.now(on: runs.connection).cutoff(olderThan: duration)
                } else if let time = Timestamp(parsing: since) {
                    sinceTime = time
                } else {
                    throw ValidationError("--since takes a duration (24h) or a time (2026-11-22T10:00:00Z), not '\(since)'")
                }
            }
            if jsonl && limit == nil {
                try runs.forEachJournalEntry(batchID: batch, since: sinceTime) { JSONOutput.print($0) }
                return
            }
            let entries = try runs.journal(batchID: batch, since: sinceTime, limit: limit ?? 1_000)
            if jsonl {
                entries.forEach { JSONOutput.print($0) }
                return
            }
            if globals.json {
                JSONOutput.print(JournalJSON(entries: entries))
                return
            }
            let rows = entries.map {
                [
                    RunText.time($0.createdAt), RunText.safe($0.batchID), RunText.safe($0.operation.stored), RunText.safe("\($0.targetTable) \($0.runID)"),
                    RunText.safe("\($0.oldStatus ?? "-") -> \($0.newStatus ?? "-")"), RunText.safe($0.actor), RunText.safe($0.reason),
                ]
            }
            TextTable(header: ["WHEN", "BATCH", "OPERATION", "RUN", "STATUS", "ACTOR", "REASON"], rows: rows).lines.forEach { print($0) }
        }
    }

    struct JournalJSON: Encodable {
        let ok = true
        let entries: [JournalEntry]
    }
}
