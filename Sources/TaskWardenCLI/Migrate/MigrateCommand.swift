import ArgumentParser

/// `taskwarden migrate`: schema migrations; `up` when no subcommand is given.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert and inspect schema migrations (default: up).",
        discussion: """
            Without --dir, works on TaskWarden's own tables, whose migrations are built in. With \
            --dir PATH, works on your migrations in PATH (or PATH/<postgresql|mysql|sqlite>), \
            tracked as the set named by --set. PATH may be in TaskWarden's format or as \
            golang-migrate, goose, Flyway or dbmate wrote it (detected, or --format).
            """,
        subcommands: [
            MigrateUpCommand.self, MigrateDownCommand.self, MigrateStatusCommand.self, MigratePlanCommand.self,
            MigrateValidateCommand.self, MigrateBaselineCommand.self, MigrateAdoptCommand.self, MigrateRepairCommand.self,
        ],
        defaultSubcommand: MigrateUpCommand.self
    )
}
