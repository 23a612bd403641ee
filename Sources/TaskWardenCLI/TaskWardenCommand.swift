import ArgumentParser
import TaskWarden

/// `taskwarden`: the root command, which only groups the subcommands.
struct TaskWardenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskwarden",
        abstract: "Keeps the task tables of background-job systems healthy.",
        discussion: """
            The database is taken from --database, else $TASKWARDEN_DATABASE_URL, else $DATABASE_URL, \
            else the SQLite file taskwarden.sqlite in the working directory.

            Exit codes: 0 ok, 1 internal error, 2 usage or bad input, 3 cannot connect, \
            4 database error, 5 validation failed or drift, 6 dirty migration state, \
            7 lock timeout, 8 pending migrations (migrate status --exit-code), 9 attention \
            (stuck runs found with --exit-code, doctor warnings), 10 doctor found a failure.
            """,
        version: TaskWardenVersion.current,
        subcommands: [
            PingCommand.self, MigrateCommand.self, StuckCommand.self, RecoverCommand.self, ResetCommand.self,
            UndoCommand.self, CancelCommand.self, DeleteCommand.self, JournalCommand.self, PurgeCommand.self, StatsCommand.self, DoctorCommand.self, MapCommand.self, ListCommand.self, ShowCommand.self,
            WatchCommand.self, ServeCommand.self,
        ]
    )
}
