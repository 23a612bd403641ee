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

    /// A directory entry that was not read as a migration.
    public struct IgnoredFile: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        /// `hidden file`, `editor backup`, `not a .sql file`, `a directory`.
        public let reason: String
        public var description: String { "\(name) (\(reason))" }
    }

    public init(name: String, migrations: [Migration], ignored: [IgnoredFile] = []) throws(MigrationFileError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationFileError(path: next.path, reason: "version \(next.version) is also used by \(previous.path)")
        }
        self.name = name
        self.migrations = sorted
        self.ignored = ignored
    }

    /// The highest version in the set, or 0 when it is empty.
    public var latestVersion: Int64 { migrations.last?.version ?? 0 }

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
    public static func directory(_ directory: String, name: String, for dialect: SQLDialect) throws(MigrationFileError) -> MigrationSet {
        guard name != builtInName else {
            throw MigrationFileError(path: directory, reason: "the set name '\(builtInName)' is TaskWarden's own; choose another name for this set")
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MigrationFileError(path: directory, reason: "no such directory")
        }
        var folder = (directory as NSString).appendingPathComponent(dialect.directoryName)
        if !(fileManager.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            folder = directory
        }
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw MigrationFileError(path: folder, reason: "cannot list: \(error.localizedDescription)")
        }
        var names: [String] = []
        var ignored: [IgnoredFile] = []
        for entry in entries {
            let path = (folder as NSString).appendingPathComponent(entry)
            let isFolder = fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            if let reason = Self.reasonToIgnore(entry, isDirectory: isFolder) {
                // The other dialects' folders are expected next to this one: not worth a word.
                if !(isFolder && folder == directory && DatabaseBackend.allCases.contains(where: { $0.rawValue == entry })) {
                    ignored.append(IgnoredFile(name: entry, reason: reason))
                }
            } else {
                names.append(entry)
            }
        }
        guard !names.isEmpty else {
            let listed = ignored.isEmpty ? "it is empty" : "ignored: " + ignored.map(\.description).joined(separator: ", ")
            throw MigrationFileError(path: folder, reason: "no migration files (<version>_<name>.sql) in this directory; \(listed)")
        }
        var migrations: [Migration] = []
        for fileName in names {
            let path = (folder as NSString).appendingPathComponent(fileName)
            guard let data = fileManager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw MigrationFileError(path: path, reason: "cannot read as UTF-8 text")
            }
            migrations.append(try Migration(fileName: fileName, path: path, text: text, backend: dialect.backend))
        }
        return try MigrationSet(name: name, migrations: migrations, ignored: ignored)
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
