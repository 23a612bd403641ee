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

    public let name: String
    public let migrations: [Migration]

    public init(name: String, migrations: [Migration]) throws(MigrationFileError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationFileError(path: next.path, reason: "version \(next.version) is also used by \(previous.path)")
        }
        self.name = name
        self.migrations = sorted
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
            throw MigrationFileError(path: directory, reason: "the set name '\(builtInName)' is TaskWarden's own; choose another with --set")
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
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
        } catch {
            throw MigrationFileError(path: folder, reason: "cannot list: \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for fileName in names {
            let path = (folder as NSString).appendingPathComponent(fileName)
            guard let data = fileManager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw MigrationFileError(path: path, reason: "cannot read as UTF-8 text")
            }
            migrations.append(try Migration(fileName: fileName, path: path, text: text, backend: dialect.backend))
        }
        return try MigrationSet(name: name, migrations: migrations)
    }
}
