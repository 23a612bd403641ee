import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden show ID`: everything about one run, and its journal history.
struct ShowCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: every mapped column, its age, whether it counts as stuck and why, its parent and its journal history.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Argument(help: ArgumentHelp("The run's id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Stuck threshold to judge it by (default: the configuration's for its kind).", valueName: "duration"))
    var olderThan: Duration?

    @Flag(help: "Print long text (error, message, log) whole, not its last \(ShowCommand.tailLength) characters.")
    var full = false

    static let tailLength = 500

    func validate() throws {
        try olderThan.requirePositive("--older-than")
    }

    func run() throws {
        try table.withTaskRuns(globals) { _, runs, configuration in
            guard let run = try runs.show(id: id, policy: configuration.stuck.overridden(by: olderThan)) else {
                var message = "no run with id \(RunText.safe(id)) in \(runs.table.name)"
                if let deleted = try runs.deletion(ofRun: id) {
                    message += ": deleted (\(deleted.oldStatus ?? "-")) at \(RunText.time(deleted.createdAt)) by \(deleted.actor) in batch \(deleted.batchID)"
                    message += deleted.reason.map { ": \($0)" } ?? ""
                    message += deleted.oldValues["archive_table"] == nil ? " (not archived)" : " ('taskwarden undo \(deleted.batchID)' puts it back)"
                }
                throw FailureReport(message: message, status: .usage)
            }
            if globals.json {
                JSONOutput.print(ShowJSON(run, table: runs.table.name.description))
                return
            }
            print("run \(RunText.id(run.id)) of \(runs.table.name): \(RunText.safe(run.statusValue))\(run.status.map { $0.rawValue == run.statusValue ? "" : " (\($0.rawValue))" } ?? " (unmapped value)")")
            let width = run.values.map { $0.role.rawValue.count }.max() ?? 0
            for (role, column, value) in run.values where role != .id && role != .status {
                let label = role.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let source = column == role.rawValue ? "" : "  [\(column)]"
                print("  \(label)  \(text(of: value, role: role))\(source)")
            }
            if let ranFor = run.ranFor { print("ran for \(RunText.age(ranFor))\(run.status == .running ? " so far" : "")") }
            print(run.stuckVerdict)
            if runs.table.has(.cancelRequestedAt) {
                print(run.cancelRequestedAt.map { "cancel requested at \($0)" } ?? "no cancel requested")
            }
            if let parent = run.parent, let parentTable = runs.table.parent?.table {
                print("parent: \(parentTable.name) \(RunText.id(parent.id)) (\(parent.statusValue.map(RunText.safe) ?? "missing"))")
            }
            guard let journal = run.journal else {
                print("journal: none (task_run_events does not exist: 'taskwarden migrate' creates it)")
                return
            }
            print("journal: \(journal.isEmpty ? "no entries" : "\(journal.count) entr\(journal.count == 1 ? "y" : "ies")")")
            for entry in journal {
                let change = "\(RunText.safe(entry.oldStatus ?? "-")) -> \(RunText.safe(entry.newStatus ?? "-"))"
                print("  \(RunText.time(entry.createdAt))  \(entry.operation.stored)  \(change)  by \(RunText.safe(entry.actor))  batch \(RunText.safe(entry.batchID))\(entry.reason.map { ": \(RunText.safe($0))" } ?? "")")
            }
        }
    }

    /// A value for the terminal, as stored; long text as its tail unless --full.
    private func text(of value: DatabaseValue, role: TaskTable.Column) -> String {
        if value == .null { return "-" }
        let text = value.plainText
        guard !full, [.error, .message, .log].contains(role), text.count > Self.tailLength else { return RunText.safe(text) }
        return "...(\(text.count - Self.tailLength) characters before; --full shows them) " + RunText.safe(String(text.suffix(Self.tailLength)))
    }

    struct ShowJSON: Encodable {
        struct Entry: Encodable {
            let at: String?
            let operation: String
            let oldStatus: String?
            let newStatus: String?
            let actor: String
            let batchID: String
            let reason: String?
        }
        let ok = true
        let table: String
        let id: String
        let status: String?
        let value: String
        let columns: [String: String?]
        let ranForSeconds: Double?
        let silentForSeconds: Double?
        let thresholdSeconds: Double
        let stuck: Bool
        let verdict: String
        let parentID: String?
        let parentStatus: String?
        let journal: [Entry]

        init(_ run: RunDetail, table: String) {
            self.table = table
            id = run.id.plainText
            status = run.status?.rawValue
            value = run.statusValue
            columns = Dictionary(run.values.map { ($0.role.rawValue, String.fromDatabaseValue($0.value)) }, uniquingKeysWith: { first, _ in first })
            ranForSeconds = run.ranFor?.seconds
            silentForSeconds = run.silentFor?.seconds
            thresholdSeconds = run.threshold.seconds
            stuck = run.isStuck
            verdict = run.stuckVerdict
            parentID = run.parent.map { $0.id.plainText }
            parentStatus = run.parent?.statusValue
            journal = (run.journal ?? []).map {
                Entry(at: $0.createdAt?.iso8601, operation: $0.operation.stored, oldStatus: $0.oldStatus, newStatus: $0.newStatus,
                      actor: $0.actor, batchID: $0.batchID, reason: $0.reason)
            }
        }
    }
}
