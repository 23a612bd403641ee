import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden map TABLE`: inspects a table and proposes a `taskwarden.yaml` for it.
struct MapCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Inspect a table and propose a taskwarden.yaml for it, naming what it could not decide.",
        discussion: """
            Reads the table's columns and types, indexes, status values with counts and its newest \
            time values, and prints a mapping with a comment on each line to check. It never decides \
            which value means cancelled or whether times are local: those lines say 'decide'. \
            It recommends the indexes stuck detection and purge need, with the statement to create them.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var table: TableOptions

    @Argument(help: ArgumentHelp("The table, optionally schema.table.", valueName: "table"))
    var name: String

    @Option(help: ArgumentHelp("Write the proposal to this file (refused if it exists, unless --force).", valueName: "path"))
    var output: String?

    @Flag(help: "Overwrite --output if it exists.")
    var force = false

    func run() throws {
        let identifier: SQLIdentifier
        do {
            identifier = try SQLIdentifier(name)
        } catch {
            throw ValidationError("TABLE: \(error.description)")
        }
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("--output \(output) exists: pass --force to overwrite it")
        }
        try table.withTaskRuns(globals) { _, runs, _ in
            let inspection = try TableInspection.inspect(identifier, on: runs.connection)
            guard !inspection.columns.isEmpty else {
                throw FailureReport(message: "table \(identifier) does not exist (or has no columns) in this database", status: .databaseError)
            }
            let proposal = MappingProposal(inspection, now: try DatabaseClock.now(on: runs.connection))
            if let output {
                do {
                    try proposal.text.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw FailureReport(message: "cannot write \(output): \(error.localizedDescription)", status: .internalError)
                }
            }
            if globals.json {
                JSONOutput.print(MapJSON(table: identifier.description, configuration: proposal.text, questions: proposal.questions))
            } else if output == nil {
                print(proposal.text, terminator: "")
            } else {
                print("wrote \(output!): \(proposal.questions.count) question(s) to decide (lines marked 'decide')")
            }
        }
    }

    struct MapJSON: Encodable {
        let ok = true
        let table: String
        let configuration: String
        let questions: [String]
    }
}
