import Foundation
import TaskWardenCore
import TaskWardenSQL

/// The migrations of one set, in version order, for one dialect.
///
/// The built-in set (`taskwarden`, TaskWarden's own tables) is embedded in the binary. Users'
/// own directories are separate sets, tracked in the same history table under their own name.
public struct MigrationSet: Sendable {
    /// The name of TaskWarden's own set.
    public static let builtInName = "taskwarden"

    /// The longest set name the history table holds (`migration_set VARCHAR(100)`).
    public static let maximumNameLength = 100

    public let name: String
    public let migrations: [Migration]
    /// Files in the directory that are not migrations, each with the reason, so that a
    /// migration saved under the wrong name is reported rather than skipped in silence.
    public let ignored: [IgnoredFile]
    /// The format the files were read as.
    public let format: MigrationFormat

    /// A directory entry that was not read as a migration.
    public struct IgnoredFile: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        /// `hidden file`, `editor backup`, `not a .sql file`, `a directory`.
        public let reason: String
        public var description: String { "\(name) (\(reason))" }
    }

    public init(
        name: String, migrations: [Migration], ignored: [IgnoredFile] = [], format: MigrationFormat = .taskwarden
    ) throws(MigrationFileError) {
        // Versioned migrations in version order, then repeatable ones by name (Flyway's order).
        let sorted = migrations.filter { $0.kind == .versioned }.sorted { $0.version < $1.version }
            + migrations.filter { $0.kind == .repeatable }.sorted { $0.name < $1.name }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationFileError(path: next.path, reason: "version \(next.version) is also used by \(previous.path)")
        }
        self.name = name
        self.migrations = sorted
        self.ignored = ignored
        self.format = format
    }

    /// The highest version in the set, or 0 when it is empty (repeatable migrations have none).
    public var latestVersion: Int64 { migrations.last { $0.kind == .versioned }?.version ?? 0 }

    public func migration(version: Int64) -> Migration? {
        migrations.first { $0.version == version }
    }

    /// TaskWarden's own migrations for `dialect`, from the copy embedded in the binary.
    public static func builtIn(for dialect: SQLDialect) throws(MigrationFileError) -> MigrationSet {
        let prefix = "migrations/\(dialect.directoryName)/"
        var migrations: [Migration] = []
        for path in EmbeddedSQL.paths(under: prefix) {
            let fileName = String(path.dropFirst(prefix.count))
            migrations.append(
                try Migration(fileName: fileName, path: path, text: EmbeddedSQL.text(at: path) ?? "", backend: dialect.backend))
        }
        return try MigrationSet(name: builtInName, migrations: migrations)
    }

    /// A user's migrations from `directory`: its `<dialect>/` subfolder if it has one
    /// (`postgresql`, `mysql`, `sqlite`), else the `.sql` files directly in it.
    ///
    /// - Parameter format: the format to read the files as; `nil` detects it from the files,
    ///   and a folder whose files do not all follow one format is an error naming them.
    public static func directory(
        _ directory: String, name: String, for dialect: SQLDialect, format: MigrationFormat? = nil
    ) throws(MigrationFileError) -> MigrationSet {
        guard name != builtInName else {
            throw MigrationFileError(path: directory, reason: "the set name '\(builtInName)' is TaskWarden's own; choose another name for this set")
        }
        let folder = try MigrationFolder.read(directory, for: dialect)
        let detected: MigrationFormat
        if let format {
            try format.check(folder.files)
            detected = format
        } else {
            detected = try MigrationFormat.detect(folder.files, in: folder.path)
        }
        let format = detected
        let migrations = try format.migrations(in: folder, backend: dialect.backend)
        var ignored = folder.ignored
        let scripts = Set(folder.files.map(\.name))
        for configuration in folder.configurations where format != .flyway || !scripts.contains(String(configuration.name.dropLast(5))) {
            let reason = format == .flyway ? "script configuration of a file that is not here" : "Flyway script configuration, read only in the flyway format"
            ignored.append(IgnoredFile(name: configuration.name, reason: reason))
        }
        return try MigrationSet(name: name, migrations: migrations, ignored: ignored.sorted { $0.name < $1.name }, format: format)
    }

    /// Why a directory entry is not a migration, or `nil` when it is one to parse.
    ///
    /// Hidden files and editor backups (`.0002_y.sql.swp`, `0002_y.sql~`) are never
    /// migrations, even when their names end in `.sql`; anything else ending in `.sql` (in any
    /// case) is parsed, so a misnamed migration fails loudly instead of being left out.
    static func reasonToIgnore(_ entry: String, isDirectory: Bool) -> String? {
        if isDirectory { return "a directory" }
        if entry.hasPrefix(".") { return "hidden file" }
        let lowered = entry.lowercased()
        if entry.hasSuffix("~") || (entry.hasPrefix("#") && entry.hasSuffix("#"))
            || [".swp", ".swo", ".bak", ".orig", ".rej", ".tmp"].contains(where: { lowered.hasSuffix($0) })
        {
            return "editor backup"
        }
        if !Migration.hasSQLExtension(entry) { return "not a .sql file" }
        return nil
    }
}
