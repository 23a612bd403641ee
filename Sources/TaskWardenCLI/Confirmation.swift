import ArgumentParser
import Foundation

/// Asks a person to confirm a destructive command, or refuses when nobody can answer.
enum Confirmation {
    /// Returns when the user typed `y` or `yes` at a terminal; throws otherwise.
    ///
    /// Without a terminal on standard input (cron, CI, a pipe) it refuses rather than assume:
    /// the command must then be run with `--yes`.
    static func require(_ what: String) throws {
        guard isatty(STDIN_FILENO) == 1 else {
            throw FailureReport(
                message: "refusing to \(what) without confirmation: there is no terminal to ask on; re-run with --yes to proceed",
                status: .usage)
        }
        FileHandle.standardError.write(Data("About to \(what).\nProceed? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            throw FailureReport(message: "cancelled: nothing was changed", status: .usage)
        }
    }
}

/// The options of a confirmed bulk change (`reset`, `delete`): why, preview only, no question,
/// and the batch size.
struct ConfirmedChangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Why: required, recorded in every journal entry (and by reset in each run).", valueName: "text"))
    var reason: String

    @Flag(help: "Show the count and a sample, and change nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(help: ArgumentHelp("Runs per transaction (default 2000; 5000 on SQLite).", valueName: "n"))
    var batchSize: Int?

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    /// The preview's part of a confirmed change: `true` to go ahead.
    ///
    /// A dry run, or a preview that matched nothing, prints the preview (`previewJSON` with
    /// `--json`; else `notes`, then with `--dry-run` the `sample` and `would <description>`, or
    /// `nothingMatched`) and returns `false`. Otherwise it asks (showing `notes` and `sample`),
    /// unless `--yes`, and throws when the answer is not yes.
    func proceed(
        _ description: String, count: Int, notes: [String] = [], sample: [String], json: Bool, nothingMatched: String,
        outcome: String, previewJSON: () -> Void
    ) throws -> Bool {
        if dryRun || count == 0 {
            if json {
                previewJSON()
            } else {
                notes.forEach { print($0) }
                if dryRun {
                    sample.forEach { print($0) }
                    print("dry run: would \(description); nothing was \(outcome)")
                } else {
                    print(nothingMatched)
                }
            }
            return false
        }
        if !yes {
            if !json { (notes + sample).forEach { print($0) } }
            try Confirmation.require(description)
        }
        return true
    }
}
