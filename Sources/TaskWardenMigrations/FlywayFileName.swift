/// A Flyway SQL file name: `V<version>__<description>.sql`, undo `U<version>__<description>.sql`,
/// repeatable `R__<description>.sql` (Flyway's default prefixes, separator and suffix).
///
/// Versions are digits separated by `.` or `_` (`V1_1__x.sql` is version 1.1); the
/// description's underscores read as spaces, as Flyway shows them.
struct FlywayFileName: Hashable {
    enum Prefix: Character { case versioned = "V", undo = "U", repeatable = "R" }

    let prefix: Prefix
    /// The version as written (`1`, `1.1`, `2026.12.01`), `nil` for a repeatable.
    let versionText: String?
    let description: String

    init?(_ fileName: String) {
        guard Migration.hasSQLExtension(fileName), let first = fileName.first, let prefix = Prefix(rawValue: first),
            let separator = fileName.range(of: "__")
        else { return nil }
        let version = fileName[fileName.index(after: fileName.startIndex)..<separator.lowerBound]
        let description = fileName[separator.upperBound...].dropLast(4)
        guard !description.isEmpty else { return nil }
        switch prefix {
        case .repeatable:
            guard version.isEmpty else { return nil }
            versionText = nil
        case .versioned, .undo:
            guard let firstCharacter = version.first, firstCharacter.isASCII, firstCharacter.isNumber,
                version.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "_" })
            else { return nil }
            versionText = version.replacingOccurrences(of: "_", with: ".")
        }
        self.prefix = prefix
        self.description = description.replacingOccurrences(of: "_", with: " ")
    }

    /// The version as TaskWarden's integer version, or `nil` when it has parts (`1.1`).
    var integerVersion: Int64? {
        guard let versionText, !versionText.contains("."), let value = Int64(versionText), value > 0 else { return nil }
        return value
    }
}
