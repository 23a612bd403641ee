import Foundation

extension MigrationFormat {
    /// The formats whose rules a file named `fileName` holding `text` follows.
    ///
    /// golang-migrate and Flyway are told by the file name alone; TaskWarden, goose and dbmate
    /// files share the `<version>_<name>.sql` name and are told by their up marker.
    static func formats(claiming fileName: String, text: String) -> [MigrationFormat] {
        var formats: [MigrationFormat] = []
        if GolangMigrateFileName(fileName) != nil { formats.append(.golangMigrate) }
        if FlywayFileName(fileName) != nil { formats.append(.flyway) }
        if Migration.parseFileName(fileName) != nil {
            let lines = Migration.normalize(text).split(separator: "\n", omittingEmptySubsequences: true)
            if lines.contains(where: { Migration.directive(in: $0) == "up" }) { formats.append(.taskwarden) }
            if lines.contains(where: { GooseAnnotation(line: $0)?.command == "up" }) { formats.append(.goose) }
            if lines.contains(where: { DbmateMarker(line: $0)?.direction == "up" }) { formats.append(.dbmate) }
        }
        return formats
    }

    /// The one format every file of `files` follows.
    ///
    /// - Throws: ``MigrationFileError`` `.unrecognized`, naming the first file that matches no
    ///   format and listing the formats; `.mixedFormats`, naming two files of different formats.
    static func detect(_ files: [MigrationFolder.File], in folder: String) throws(MigrationFileError) -> MigrationFormat {
        var common = Set(allCases)
        var seen: [(name: String, formats: [MigrationFormat])] = []
        for file in files {
            let claimed = formats(claiming: file.name, text: file.text)
            guard !claimed.isEmpty else {
                throw MigrationFileError(
                    path: file.path, reason: "matches none of the migration formats: \(allShapes)", kind: .unrecognized)
            }
            guard common.isDisjoint(with: claimed) else {
                common.formIntersection(claimed)
                seen.append((file.name, claimed))
                continue
            }
            let earlier = seen.first { Set($0.formats).isDisjoint(with: claimed) } ?? seen[0]
            throw MigrationFileError(
                path: folder,
                reason: "mixed migration formats: \(earlier.name) is \(Self.names(earlier.formats)), \(file.name) is \(Self.names(claimed)); "
                    + "keep one format per folder, or force one format",
                kind: .mixedFormats)
        }
        // Names decide before markers: a golang-migrate or Flyway file may quote another
        // tool's marker in its SQL, but its name is unmistakable.
        for format in [MigrationFormat.golangMigrate, .flyway, .taskwarden, .goose, .dbmate] where common.contains(format) {
            return format
        }
        throw MigrationFileError(path: folder, reason: "matches none of the migration formats: \(allShapes)", kind: .unrecognized)
    }

    /// Checks that every file of `files` follows this format, when it is forced rather than
    /// detected.
    ///
    /// - Throws: ``MigrationFileError`` `.unrecognized` naming the first file that does not,
    ///   the format it was expected in, and the format it looks like.
    func check(_ files: [MigrationFolder.File]) throws(MigrationFileError) {
        for file in files {
            let claimed = Self.formats(claiming: file.name, text: file.text)
            guard !claimed.contains(self) else { continue }
            let looks = claimed.isEmpty ? "no format at all" : Self.names(claimed)
            throw MigrationFileError(path: file.path, reason: "not a \(rawValue) file: expected \(shape); it looks like \(looks)", kind: .unrecognized)
        }
    }

    private static func names(_ formats: [MigrationFormat]) -> String {
        formats.map(\.rawValue).joined(separator: " or ")
    }
}
