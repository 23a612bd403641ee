import Crypto
import Foundation
import TaskWardenCore

extension MigrationSet {
    /// Flyway's migrations: versioned `V` files in version order with their `U` undo files as
    /// down sections, then the repeatable `R` files in description order.
    ///
    /// Each runs in its own transaction, as Flyway does by default, unless its script
    /// configuration file (`V2__x.sql.conf`) says `executeInTransaction=false` or it holds a
    /// statement the database refuses in a transaction (Flyway detects those too). Flyway
    /// replaces `${placeholders}` by default; TaskWarden does not, so a file using them is
    /// refused rather than run differently. Versions with parts (`V1.1__`) are refused: the
    /// history keeps integer versions.
    static func flywayMigrations(
        _ files: [MigrationFolder.File], configurations: [MigrationFolder.File], backend: DatabaseBackend
    ) throws(MigrationFileError) -> [Migration] {
        let splitter = SQLStatementSplitter(backend: backend)
        var undo: [Int64: MigrationFolder.File] = [:]
        var parsed: [(FlywayFileName, MigrationFolder.File)] = []
        for file in files {
            guard let name = FlywayFileName(file.name) else {
                throw MigrationFileError(
                    path: file.path, reason: "not a Flyway file name: expected \(MigrationFormat.flyway.shape)", kind: .unrecognized)
            }
            if file.text.contains("${") {
                throw MigrationFileError(
                    path: file.path, reason: "uses Flyway placeholders (${...}), which TaskWarden does not replace; write the values in")
            }
            if name.prefix == .undo {
                guard let version = try flywayVersion(name, file) else { continue }
                undo[version] = file
            } else {
                parsed.append((name, file))
            }
        }
        var migrations: [Migration] = []
        var versions: Set<Int64> = []
        for (name, file) in parsed {
            let up = splitter.split(Migration.normalize(file.text))
            let configuration = try flywayConfiguration(for: file, in: configurations)
            let transactional = configuration["executeInTransaction"]?.lowercased() != "false"
                && !TransactionRule.refusesTransaction(any: up, backend: backend)
            if name.prefix == .repeatable {
                migrations.append(
                    Migration(
                        version: repeatableVersion(name.description), name: name.description, path: file.path,
                        checksum: Migration.checksum(of: file.text), upStatements: up, downStatements: nil,
                        runsInTransaction: transactional, kind: .repeatable))
                continue
            }
            guard let version = try flywayVersion(name, file) else { continue }
            versions.insert(version)
            migrations.append(
                Migration(
                    version: version, name: name.description, path: file.path, checksum: Migration.checksum(of: file.text),
                    upStatements: up, downStatements: undo[version].map { splitter.split(Migration.normalize($0.text)) },
                    runsInTransaction: transactional))
        }
        if let orphan = undo.keys.sorted().first(where: { !versions.contains($0) }), let file = undo[orphan] {
            throw MigrationFileError(path: file.path, reason: "an undo migration without a V file for version \(orphan)")
        }
        return migrations
    }

    /// The integer version of a `V` or `U` file; throws for a version with parts.
    private static func flywayVersion(_ name: FlywayFileName, _ file: MigrationFolder.File) throws(MigrationFileError) -> Int64? {
        guard let version = name.integerVersion else {
            throw MigrationFileError(
                path: file.path,
                reason: "Flyway version '\(name.versionText ?? "")' has parts; TaskWarden's versions are whole numbers, rename it (e.g. V\(name.versionText?.replacingOccurrences(of: ".", with: "") ?? "")__...)")
        }
        return version
    }

    /// The `key=value` lines of `<script>.conf`, if the folder has one.
    private static func flywayConfiguration(
        for file: MigrationFolder.File, in configurations: [MigrationFolder.File]
    ) throws(MigrationFileError) -> [String: String] {
        guard let configuration = configurations.first(where: { $0.name == file.name + ".conf" }) else { return [:] }
        var values: [String: String] = [:]
        for line in Migration.normalize(configuration.text).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, ["executeInTransaction", "encoding"].contains(parts[0]) else {
                throw MigrationFileError(
                    path: configuration.path, reason: "unsupported script configuration '\(trimmed)' (read: executeInTransaction, encoding)")
            }
            values[parts[0]] = parts[1]
        }
        return values
    }

    /// The history version of a repeatable migration: negative, from the SHA-256 of its
    /// description, so that it is stable across runs and never equals a versioned migration's.
    static func repeatableVersion(_ description: String) -> Int64 {
        let digest = Array(SHA256.hash(data: Data(description.utf8)))
        let bits = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return -Int64(bits >> 2) - 1
    }
}
