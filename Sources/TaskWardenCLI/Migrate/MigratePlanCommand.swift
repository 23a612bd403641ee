import ArgumentParser
import TaskWarden

/// `taskwarden migrate plan`: the SQL `up` would run, with transaction and lock mode. Runs nothing.
struct MigratePlanCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the SQL that 'migrate up' would run, with transaction and lock mode; runs nothing.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Option(help: ArgumentHelp("Plan up to this version.", valueName: "version"))
    var to: Int64?

    func run() throws {
        try migration.withMigrator(globals) { session, migrator in
            let plan = try migrator.plan(to: to)
            if globals.json {
                JSONOutput.print(
                    PlanJSON(
                        set: plan.setName, lock: plan.lock,
                        steps: plan.steps.map {
                            .init(
                                version: $0.migration.version, name: $0.migration.name, inTransaction: $0.inTransaction,
                                checksum: $0.migration.checksum, statements: $0.migration.upStatements)
                        }))
                return
            }
            print("-- set '\(plan.setName)' on \(session.url.redacted): \(plan.steps.count) migration(s) pending")
            print("-- lock: \(plan.lock)")
            for step in plan.steps {
                let mode = step.inTransaction
                    ? "in one transaction with its history row"
                    : "statement by statement, outside a transaction (recorded in_progress, then applied)"
                print("\n-- \(step.migration.displayName): \(mode)")
                for statement in step.migration.upStatements { print(statement + ";") }
            }
        }
    }

    struct PlanJSON: Encodable {
        struct Step: Encodable {
            let version: Int64
            let name: String
            let inTransaction: Bool
            let checksum: String
            let statements: [String]
        }
        let ok = true
        let set: String
        let lock: String
        let steps: [Step]
    }
}
