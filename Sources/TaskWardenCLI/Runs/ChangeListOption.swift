import ArgumentParser
import TaskWarden

/// `--list`: after a bulk change's summary, every run it changed, one per line.
///
/// The summary keeps a million-run change readable; the full list is there on request, read
/// back from the batch's journal a page at a time, so it costs no memory however long it is.
/// With `--json` the output becomes JSON Lines: the summary first, then one journal entry per line.
struct ChangeListOption: ParsableArguments {
    @Flag(
        name: .customLong("list"),
        help: "After the summary, every changed run, one per line, read back from the journal (with --json: one JSON entry per line).")
    var enabled = false

    /// Prints the runs of `batchID` if asked to (nothing for a dry run, which has no batch).
    func print(batchID: String?, runs: TaskRuns, json: Bool) throws {
        guard enabled, let batchID else { return }
        try runs.forEachJournalEntry(batchID: batchID) { entry in
            if json {
                JSONOutput.print(entry)
            } else {
                Swift.print(Self.line(entry))
            }
        }
    }

    /// `task_runs 42: running -> cancelled`, as the summary's sample lines.
    static func line(_ entry: JournalEntry) -> String {
        "\(RunText.safe(entry.targetTable)) \(RunText.safe(entry.runID)): \(RunText.safe(entry.oldStatus ?? "-")) -> \(RunText.safe(entry.newStatus ?? "-"))"
    }
}
