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
