import Foundation
import TaskWardenSQL
import Testing

/// The embedded copy is exactly `migrations/` and `sql/` (less the benchmark's own statements):
/// nothing missing, nothing stale. `EmbedSQLPlugin` generates it at build time.
@Suite("Embedded SQL")
struct EmbeddedSQLTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func filesOnDisk() throws -> [String: String] {
        var files: [String: String] = [:]
        for folder in ["migrations", "sql"] {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in enumerator where relative.hasSuffix(".sql") && !relative.contains("/bench/") {
                files["\(folder)/\(relative)"] = try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
            }
        }
        return files
    }

    @Test("the embedded copy equals the files on disk, and holds no benchmark statement")
    func embeddedEqualsDisk() throws {
        let disk = try Self.filesOnDisk()
        #expect(!disk.isEmpty)
        let embedded = Set(EmbeddedSQL.allPaths)
        #expect(Set(disk.keys).subtracting(embedded).sorted() == [], "not embedded")
        #expect(embedded.subtracting(disk.keys).sorted() == [], "embedded but not on disk")
        for (path, text) in disk {
            #expect(EmbeddedSQL.text(at: path) == text, "\(path) differs from its embedded copy")
        }
        #expect(!embedded.contains { $0.contains("/bench/") })
    }

    @Test("every dialect has the same operation files")
    func dialectsMatch() {
        func names(_ dialect: String) -> Set<String> {
            Set(EmbeddedSQL.paths(under: "sql/\(dialect)/").map { String($0.dropFirst("sql/\(dialect)/".count)) })
        }
        // Optional per dialect: a faster form where the dialect allows one.
        let optional: Set<String> = ["purge/select_batch.sql", "purge/delete_ids.sql"]
        for dialect in ["postgresql", "mysql", "sqlite"] {
            let files = names(dialect)
            #expect(files.contains("purge/select_batch.sql") == files.contains("purge/delete_ids.sql"), "\(dialect): select_batch.sql and delete_ids.sql go together")
        }
        let postgres = names("postgresql").subtracting(optional)
        // SQLite has no session locks (BEGIN IMMEDIATE serializes writers), takes its busy
        // timeout from the URL, and cannot tell who holds its file lock.
        let notOnSQLite: Set<String> = [
            "locks/session_try_acquire.sql", "locks/session_release.sql", "migrations/set_timeouts.sql",
            "locks/session_id.sql", "locks/blockers.sql", "locks/cancel_statement.sql",
        ]
        #expect(names("mysql").subtracting(optional) == postgres)
        #expect(names("sqlite").subtracting(optional) == postgres.subtracting(notOnSQLite))
        let migrations = ["postgresql", "mysql", "sqlite"].map { dialect in
            EmbeddedSQL.paths(under: "migrations/\(dialect)/").map { ($0 as NSString).lastPathComponent }
        }
        #expect(migrations[0] == migrations[1])
        #expect(migrations[0] == migrations[2])
    }
}
