import Foundation
import TaskWardenCore

/// The entries of a migrations folder: the `.sql` files to read, Flyway's script
/// configuration files, and everything left out, each with the reason.
///
/// Nothing is skipped in silence: a migration saved under a backup name, a hidden name or
/// another extension is listed in ``ignored`` so that the command can name it.
struct MigrationFolder {
    /// A file read whole as UTF-8 text.
    struct File: Sendable, Hashable {
        let name: String
        let path: String
        let text: String
    }

    /// The folder read: `directory/<dialect>` when that exists, else `directory`.
    let path: String
    /// The `.sql` files (any case of the extension), sorted by name.
    let files: [File]
    /// `<script>.sql.conf` files, read by the Flyway format (`executeInTransaction=false`).
    let configurations: [File]
    let ignored: [MigrationSet.IgnoredFile]

    /// Reads `directory`'s `<dialect>/` subfolder if it has one (`postgresql`, `mysql`,
    /// `sqlite`), else `directory` itself.
    static func read(_ directory: String, for dialect: SQLDialect) throws(MigrationFileError) -> MigrationFolder {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MigrationFileError(path: directory, reason: "no such directory", kind: .unreadable)
        }
        var folder = (directory as NSString).appendingPathComponent(dialect.directoryName)
        if !(fileManager.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            folder = directory
        }
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw MigrationFileError(path: folder, reason: "cannot list: \(error.localizedDescription)", kind: .unreadable)
        }
        var files: [File] = []
        var configurations: [File] = []
        var ignored: [MigrationSet.IgnoredFile] = []
        for entry in entries {
            let path = (folder as NSString).appendingPathComponent(entry)
            let isFolder = fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            if !isFolder, !entry.hasPrefix("."), entry.lowercased().hasSuffix(".sql.conf") {
                configurations.append(try readFile(entry, at: path))
            } else if let reason = MigrationSet.reasonToIgnore(entry, isDirectory: isFolder) {
                // The other dialects' folders are expected next to this one: not worth a word.
                if !(isFolder && folder == directory && DatabaseBackend.allCases.contains(where: { $0.rawValue == entry })) {
                    ignored.append(MigrationSet.IgnoredFile(name: entry, reason: reason))
                }
            } else {
                files.append(try readFile(entry, at: path))
            }
        }
        guard !files.isEmpty else {
            let listed = ignored.isEmpty ? "it is empty" : "ignored: " + ignored.map(\.description).joined(separator: ", ")
            throw MigrationFileError(
                path: folder, reason: "no migration files (<version>_<name>.sql, or another tool's .sql files) in this directory; \(listed)",
                kind: .unreadable)
        }
        return MigrationFolder(path: folder, files: files, configurations: configurations, ignored: ignored)
    }

    private static func readFile(_ name: String, at path: String) throws(MigrationFileError) -> File {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw MigrationFileError(path: path, reason: "cannot read as UTF-8 text", kind: .unreadable)
        }
        return File(name: name, path: path, text: text)
    }
}
