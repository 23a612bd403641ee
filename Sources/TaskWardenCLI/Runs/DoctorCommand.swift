import Foundation
import ArgumentParser
import TaskWarden

/// `taskwarden doctor`: checks what causes stuck runs and lost updates; exits with the worst.
struct DoctorCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check connectivity, schema, mapping, stuck runs, risky settings and clock skew (exit 0 ok, 9 warn, 10 fail).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    func run() throws {
        let checks = try table.withTaskRuns(globals) { _, runs, configuration in
            Doctor(connection: runs.connection, table: runs.table, policy: configuration.stuck).run()
        }
        let worst = checks.map(\.level).max() ?? .ok
        if globals.json {
            JSONOutput.print(DoctorJSON(worst: worst.description, checks: checks.map { .init(name: $0.name, level: $0.level.description, summary: $0.summary, hint: $0.hint) }))
        } else {
            for check in checks {
                print("\(check.level.description.padding(toLength: 4, withPad: " ", startingAt: 0))  \(check.name): \(check.summary)")
                if let hint = check.hint, check.level != .ok { print("      hint: \(hint)") }
            }
        }
        switch worst {
        case .ok: return
        case .warn: throw ExitCode(ExitStatus.attention.code)
        case .fail: throw ExitCode(ExitStatus.unhealthy.code)
        }
    }

    struct DoctorJSON: Encodable {
        struct Check: Encodable {
            let name: String
            let level: String
            let summary: String
            let hint: String?
        }
        let ok = true
        let worst: String
        let checks: [Check]
    }
}
