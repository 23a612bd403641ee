import TaskWardenCore

/// The migration files of `migrations/`, compiled into the binary.
///
/// Migrations are data the migration engine lists, checksums and runs in order, so they stay
/// files by path; statements are typed instead (``SQL``). The `EmbedSQLPlugin` build-tool
/// plugin copies them into a Swift file in the build directory on every build (nothing
/// generated is committed). Embedding, rather than reading files at run time, lets
/// `taskwarden` work from any directory, as a single copied binary.
package enum EmbeddedSQL {
    /// The text of the migration file at `path` (`migrations/mysql/0001_create_task_runs.sql`), if embedded.
    package static func text(at path: String) -> String? { migrationFiles[path] }

    /// The embedded migration paths under `prefix` (`migrations/mysql/`), sorted.
    package static func paths(under prefix: String) -> [String] {
        migrationFiles.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every embedded migration path, sorted.
    package static var allPaths: [String] { migrationFiles.keys.sorted() }
}
