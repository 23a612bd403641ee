import ArgumentParser
import Foundation
import TaskWarden

/// `taskwarden migrate adopt --from TOOL`: takes over from the migration tool used before.
struct MigrateAdoptCommand: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Record what another tool applied (golang-migrate, goose, flyway, dbmate) as applied, so that migrate runs only the rest.",
        discussion: """
            Reads the tool's history table (schema_migrations, goose_db_version, \
            flyway_schema_history) and records its applied versions in TaskWarden's history with \
            the checksums of the --dir files as they are now. Refuses when the tool's history is \
            dirty or failed (exit 6), when it applied versions the folder lacks (exit 5), or when \
            the set already has TaskWarden history (exit 2).
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var migration: MigrationOptions

    @Option(help: ArgumentHelp("The tool whose history to adopt: golang-migrate, goose, flyway, dbmate.", valueName: "tool"))
    var from: MigrationFormat

    @Flag(help: "Show what would be recorded; record nothing.")
    var dryRun = false

    func validate() throws {
        guard migration.dir != nil else { throw ValidationError("adopt needs --dir: the folder the previous tool migrated from") }
        guard from != .taskwarden else { throw ValidationError("--from names the previous tool: golang-migrate, goose, flyway or dbmate") }
    }

    func run() throws {
        try migration.withMigrator(globals, releasingLockOnSignal: !dryRun) { session, migrator in
            let plan = dryRun ? try migrator.adoptionPlan(from: from) : try migrator.adopt(from: from)
            for migration in plan.editedSinceApplied {
                FileHandle.standardError.write(
                    Data("taskwarden: warning: \(migration.path) was edited after \(from.rawValue) applied it (its checksum differs from the one recorded)\n".utf8))
            }
            if globals.json {
                JSONOutput.print(
                    AdoptJSON(
                        set: migrator.set.name, from: from.rawValue, dryRun: dryRun, adopted: plan.adopted.map(AdoptedJSON.init),
                        baselined: plan.baselined.map(AdoptedJSON.init), pending: (plan.pending + plan.rerun).map(AdoptedJSON.init)))
                return
            }
            let verb = dryRun ? "would adopt" : "adopted"
            for migration in plan.adopted { print("\(verb) \(migration.displayName)") }
            for migration in plan.baselined { print("\(dryRun ? "would baseline" : "baselined") \(migration.displayName)") }
            for migration in plan.pending + plan.rerun { print("pending \(migration.displayName)") }
            print(
                "\(verb) \(plan.adopted.count + plan.baselined.count) migration(s) from \(plan.history.table) into set '\(migrator.set.name)'; "
                    + "\(plan.pending.count + plan.rerun.count) left for 'taskwarden migrate'")
        }
    }

    struct AdoptedJSON: Encodable {
        let version: Int64?
        let name: String
        let checksum: String

        init(_ migration: Migration) {
            version = migration.kind == .repeatable ? nil : migration.version
            name = migration.name
            checksum = migration.checksum
        }
    }

    struct AdoptJSON: Encodable {
        let ok = true
        let set: String
        let from: String
        let dryRun: Bool
        let adopted: [AdoptedJSON]
        let baselined: [AdoptedJSON]
        let pending: [AdoptedJSON]
    }
}
