import ArgumentParser
import Foundation
import TaskWarden

/// The process entry point: parses the command line, runs the command, maps failures to exit codes.
///
/// Argument parser's own `main()` would print multi-line usage on bad input and exit 64; TaskWarden
/// promises one line and exit code 2 (see ``ExitStatus``), so the mapping is done here.
@main
enum TaskWardenMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try TaskWardenCommand.parseAsRoot(arguments)
        } catch {
            exit(reportParseFailure(error))
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(ExitStatus.ok.code)
        } catch let status as ExitCode {
            // A command that already printed its report and only sets the exit code.
            exit(status.rawValue)
        } catch {
            // `help` and a root command without a subcommand report through errors too.
            let parserCode = TaskWardenCommand.exitCode(for: error)
            if parserCode == .success || parserCode == .validationFailure {
                exit(reportParseFailure(error))
            }
            if let signalNumber = SignalTrap.exitingOnSignal {
                // The handler is releasing the lock and exits with 128+N itself; an error the
                // interruption caused is not the outcome to report.
                try? await Task.sleep(for: .seconds(10))
                exit(128 + signalNumber)
            }
            let json = (command as? GlobalOptionsProviding)?.globals.json ?? false
            exit(FailureReport(error).emit(json: json))
        }
    }

    /// Prints help or version on standard output, or one error line on standard error.
    private static func reportParseFailure(_ error: Error) -> Int32 {
        let code = TaskWardenCommand.exitCode(for: error)
        if code == .success {
            print(TaskWardenCommand.fullMessage(for: error))
            return ExitStatus.ok.code
        }
        let message = TaskWardenCommand.message(for: error).oneLine
        FileHandle.standardError.write(Data("taskwarden: error: \(message) (see 'taskwarden --help')\n".utf8))
        return ExitStatus.usage.code
    }
}
