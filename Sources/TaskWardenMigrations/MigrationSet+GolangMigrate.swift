import TaskWardenCore

extension MigrationSet {
    /// golang-migrate's migrations: one `.up.sql` and at most one `.down.sql` per version.
    ///
    /// golang-migrate sends each file to the server whole; on PostgreSQL a multi-statement
    /// query runs as one implicit transaction, and its SQLite driver wraps each file in one. So
    /// each migration runs in a transaction here, split the way the client would split it,
    /// unless it holds a statement PostgreSQL refuses inside one (`CREATE INDEX CONCURRENTLY`).
    /// An empty file is a migration that does nothing, as golang-migrate treats it. The
    /// checksum covers the up file only: that is what was applied.
    static func golangMigrateMigrations(
        _ files: [MigrationFolder.File], backend: DatabaseBackend
    ) throws(MigrationFileError) -> [Migration] {
        var ups: [Int64: (GolangMigrateFileName, MigrationFolder.File)] = [:]
        var downs: [Int64: MigrationFolder.File] = [:]
        for file in files {
            guard let name = GolangMigrateFileName(file.name) else {
                throw MigrationFileError(
                    path: file.path, reason: "not a golang-migrate file name: expected \(MigrationFormat.golangMigrate.shape)", kind: .unrecognized)
            }
            let existing = name.direction == .up ? ups[name.version]?.1 : downs[name.version]
            if let existing {
                throw MigrationFileError(path: file.path, reason: "version \(name.version) \(name.direction.rawValue) is also \(existing.name)")
            }
            if name.direction == .up { ups[name.version] = (name, file) } else { downs[name.version] = file }
        }
        if let orphan = downs.keys.sorted().first(where: { ups[$0] == nil }), let file = downs[orphan] {
            throw MigrationFileError(path: file.path, reason: "a down migration without an up file for version \(orphan)")
        }
        let splitter = SQLStatementSplitter(backend: backend)
        return ups.values.map { name, file in
            let up = splitter.split(Migration.normalize(file.text))
            return Migration(
                version: name.version, name: name.title, path: file.path, checksum: Migration.checksum(of: file.text),
                upStatements: up, downStatements: downs[name.version].map { splitter.split(Migration.normalize($0.text)) },
                runsInTransaction: !TransactionRule.refusesTransaction(any: up, backend: backend))
        }
    }
}
