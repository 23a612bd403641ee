import TaskWardenCore

extension MigrationFormat {
    /// The migrations of `folder`, every file read by this format's rules.
    ///
    /// - Throws: ``MigrationFileError`` naming the first file this format cannot read.
    func migrations(in folder: MigrationFolder, backend: DatabaseBackend) throws(MigrationFileError) -> [Migration] {
        switch self {
        case .golangMigrate: return try MigrationSet.golangMigrateMigrations(folder.files, backend: backend)
        case .flyway: return try MigrationSet.flywayMigrations(folder.files, configurations: folder.configurations, backend: backend)
        case .taskwarden, .goose, .dbmate: break
        }
        var migrations: [Migration] = []
        for file in folder.files {
            guard let (version, name) = Migration.parseFileName(file.name) else {
                throw MigrationFileError(path: file.path, reason: "not a \(rawValue) file name: expected \(shape)", kind: .unrecognized)
            }
            guard self != .taskwarden else {
                migrations.append(try Migration(fileName: file.name, path: file.path, text: file.text, backend: backend))
                continue
            }
            let script: any SectionedScript =
                self == .goose
                ? try GooseScript(text: file.text, path: file.path, backend: backend)
                : try DbmateScript(text: file.text, path: file.path, backend: backend)
            migrations.append(
                Migration(
                    version: version, name: name, path: file.path, checksum: Migration.checksum(of: file.text),
                    upStatements: script.up, downStatements: script.down, runsInTransaction: script.runsInTransaction))
        }
        return migrations
    }
}

/// A file with an up and an optional down section, as goose and dbmate write them.
protocol SectionedScript {
    var up: [String] { get }
    var down: [String]? { get }
    var runsInTransaction: Bool { get }
}

extension GooseScript: SectionedScript {}
extension DbmateScript: SectionedScript {}
