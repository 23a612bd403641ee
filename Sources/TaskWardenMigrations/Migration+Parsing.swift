import Crypto
import Foundation
import TaskWardenCore

extension Migration {
    /// Parses a migration file named `fileName` (`0001_create_task_runs.sql`).
    ///
    /// - Throws: ``MigrationFileError`` for a bad name, a missing or empty up section, or an
    ///   unknown `taskwarden:` directive (a misspelt `no-transaction` must not silently run a
    ///   `CREATE INDEX CONCURRENTLY` inside a transaction).
    public init(fileName: String, path: String, text: String, backend: DatabaseBackend) throws(MigrationFileError) {
        guard let (version, name) = Self.parseFileName(fileName) else {
            throw MigrationFileError(path: path, reason: "the name must be <version>_<name>.sql, e.g. 0003_add_queue_index.sql")
        }
        let normalized = Self.normalize(text)
        var section: Substring?
        var up: [Substring] = []
        var down: [Substring] = []
        var hasDown = false
        var runsInTransaction = true
        var sawUp = false
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if let directive = Self.directive(in: line) {
                switch directive {
                case "up":
                    guard !sawUp else { throw MigrationFileError(path: path, reason: "more than one '-- taskwarden:up' line") }
                    sawUp = true
                    section = "up"
                case "down":
                    guard sawUp, !hasDown else {
                        throw MigrationFileError(path: path, reason: "'-- taskwarden:down' must come once, after '-- taskwarden:up'")
                    }
                    hasDown = true
                    section = "down"
                case "no-transaction":
                    runsInTransaction = false
                default:
                    throw MigrationFileError(
                        path: path, reason: "unknown directive 'taskwarden:\(directive)' (known: up, down, no-transaction)")
                }
                continue
            }
            switch section {
            case "up": up.append(line)
            case "down": down.append(line)
            default: break  // the header
            }
        }
        guard sawUp else { throw MigrationFileError(path: path, reason: "no '-- taskwarden:up' line") }
        let splitter = SQLStatementSplitter(backend: backend)
        let upStatements = splitter.split(up.joined(separator: "\n"))
        guard !upStatements.isEmpty else { throw MigrationFileError(path: path, reason: "the up section has no statements") }
        let downStatements = hasDown ? splitter.split(down.joined(separator: "\n")) : nil
        self.init(
            version: version, name: name, path: path, checksum: Self.checksum(of: text),
            upStatements: upStatements, downStatements: downStatements, runsInTransaction: runsInTransaction)
    }

    /// SHA-256 of `text` with any BOM removed and CRLF / CR line endings turned into LF.
    ///
    /// So that a checkout on Windows (`core.autocrlf`) or an editor adding a BOM does not show
    /// up as drift of an applied migration.
    public static func checksum(of text: String) -> String {
        SHA256.hash(data: Data(normalize(text).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func normalize(_ text: String) -> String {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is a single Character in Swift, so it is replaced whole before lone "\r".
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Whether `fileName` ends in `.sql`, in any case: `0001_x.SQL` from a case-insensitive
    /// file system or a Windows tool is a migration too, not a file to skip in silence.
    static func hasSQLExtension(_ fileName: String) -> Bool {
        fileName.count > 4 && fileName.suffix(4).lowercased() == ".sql"
    }

    static func parseFileName(_ fileName: String) -> (Int64, String)? {
        guard hasSQLExtension(fileName) else { return nil }
        let stem = fileName.dropLast(4)
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let version = Int64(digits), version > 0 else { return nil }
        var name = stem.dropFirst(digits.count)
        guard name.first == "_" || name.first == "-" else { return nil }
        name = name.dropFirst()
        guard !name.isEmpty else { return nil }
        return (version, String(name))
    }

    /// `up` for a line `-- taskwarden:up` (spacing and case are free), else `nil`.
    static func directive(in line: Substring) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("--") else { return nil }
        let body = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces).lowercased()
        guard body.hasPrefix("taskwarden:") else { return nil }
        return body.dropFirst("taskwarden:".count).trimmingCharacters(in: .whitespaces)
    }
}
