import Foundation
import TaskWarden
import TaskWardenTestSupport

@testable import TaskWardenMigrations

/// A database as another migration tool leaves it: the SQL of its first migrations run, and
/// its history table created and filled the way that tool does.
///
/// The real tools are Go and Java programs with no Debian or PyPI package, so the history
/// tables are written here with the DDL each tool runs, from its source:
/// - golang-migrate: `database/postgres/postgres.go`, `database/mysql/mysql.go` and
///   `database/sqlite3/sqlite3.go`, `ensureVersionTable` (github.com/golang-migrate/migrate);
///   one row, `SetVersion` deletes and inserts it.
/// - goose: `internal/dialect/dialectquery/{postgres,mysql,sqlite3}.go`, `CreateTable` and
///   `InsertVersion` (github.com/pressly/goose); goose inserts version 0 when it creates the table.
/// - Flyway: `createMetaDataTable.sql` of its PostgreSQL, MySQL and SQLite database
///   support (github.com/flyway/flyway); checksums are Flyway's CRC-32 of each script.
/// - dbmate: `CreateMigrationsTable` of `pkg/driver/{postgres,mysql,sqlite}`
///   (github.com/amacneil/dbmate): `schema_migrations (version varchar(128) primary key)`.
struct PreviousToolDatabase {
    let connection: any DatabaseConnection
    let backend: TestBackend

    /// Runs the up statements of `migrations` as the tool would have, then records them.
    func migrate(_ tool: MigrationFormat, _ migrations: [Migration]) throws {
        for migration in migrations {
            for statement in migration.upStatements { try connection.execute(statement, []) }
        }
        try createHistory(tool)
        switch tool {
        case .golangMigrate:
            try setGolangMigrateVersion(migrations.last { $0.kind == .versioned }?.version ?? -1, dirty: false)
        case .goose:
            for migration in migrations { try gooseRow(migration.version, applied: true) }
        case .flyway:
            for migration in migrations { try flywayRow(migration, success: true) }
        case .dbmate:
            for migration in migrations { try execute("INSERT INTO schema_migrations (version) VALUES ('\(migration.version)')") }
        case .taskwarden:
            break
        }
    }

    func createHistory(_ tool: MigrationFormat) throws {
        switch (tool, backend) {
        case (.golangMigrate, .sqlite):
            try execute("CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool)")
            try execute("CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)")
        case (.golangMigrate, _):
            try execute("CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty boolean not null)")
        case (.goose, .sqlite):
            try execute(
                "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))")
            try gooseRow(0, applied: true)
        case (.goose, _):
            try execute(
                "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))")
            try gooseRow(0, applied: true)
        case (.flyway, .postgresql):
            try execute(
                """
                CREATE TABLE "flyway_schema_history" ("installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, \
                "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, \
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)
                """)
            try execute(#"ALTER TABLE "flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")"#)
        case (.flyway, .mysql):
            try execute(
                """
                CREATE TABLE `flyway_schema_history` (`installed_rank` INT NOT NULL, `version` VARCHAR(50), `description` VARCHAR(200) NOT NULL, \
                `type` VARCHAR(20) NOT NULL, `script` VARCHAR(1000) NOT NULL, `checksum` INT, `installed_by` VARCHAR(100) NOT NULL, \
                `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, `execution_time` INT NOT NULL, `success` BOOL NOT NULL, \
                CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)) ENGINE=InnoDB
                """)
        case (.flyway, .sqlite):
            try execute(
                """
                CREATE TABLE "flyway_schema_history" ("installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50), \
                "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INT, \
                "installed_by" VARCHAR(100) NOT NULL, "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), \
                "execution_time" INT NOT NULL, "success" BOOLEAN NOT NULL)
                """)
        case (.dbmate, _):
            try execute("CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) primary key)")
        case (.taskwarden, _):
            break
        }
    }

    /// golang-migrate's `SetVersion`: the one row replaced.
    func setGolangMigrateVersion(_ version: Int64, dirty: Bool) throws {
        try execute("DELETE FROM schema_migrations")
        try execute("INSERT INTO schema_migrations (version, dirty) VALUES (\(version), \(dirty ? "TRUE" : "FALSE"))")
    }

    /// goose's `InsertVersion` (and, before goose v3, a rollback with `is_applied` false).
    func gooseRow(_ version: Int64, applied: Bool) throws {
        try execute("INSERT INTO goose_db_version (version_id, is_applied) VALUES (\(version), \(applied ? "TRUE" : "FALSE"))")
    }

    /// One row of Flyway's history for `migration`, with Flyway's checksum of its file unless
    /// `checksum` is given.
    func flywayRow(_ migration: Migration, success: Bool, checksum: Int32? = nil) throws {
        let rank = try connection.queryValue(Int.self, "SELECT COUNT(*) FROM flyway_schema_history") + 1
        let script = (migration.path as NSString).lastPathComponent
        let version = migration.kind == .repeatable ? "NULL" : "'\(migration.version)'"
        let sum = try checksum ?? FlywayChecksum.of(String(contentsOfFile: migration.path, encoding: .utf8))
        try execute(
            "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) "
                + "VALUES (\(rank), \(version), '\(migration.name)', 'SQL', '\(script)', \(sum), 'flyway', 7, \(success ? "TRUE" : "FALSE"))")
    }

    func execute(_ sql: String) throws {
        try connection.execute(sql, [])
    }
}
