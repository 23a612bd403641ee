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
            for case let relative as String in enumerator where relative.hasSuffix(".sql") && !(folder == "sql" && relative.hasPrefix("bench/")) {
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

    static let dialects = ["postgresql", "mysql", "sqlite"]

    /// Every statement name (`runs/current`), from `sql/<name>.sql` and `sql/<name>.<dialect>.sql`.
    static var statementNames: Set<String> {
        Set(EmbeddedSQL.paths(under: "sql/").map { path in
            var name = String(path.dropFirst("sql/".count).dropLast(".sql".count))
            for dialect in dialects where name.hasSuffix(".\(dialect)") { name = String(name.dropLast(dialect.count + 1)) }
            return name
        })
    }

    /// The statements `dialect` has: its own file, or the shared one.
    static func names(_ dialect: String) -> Set<String> {
        statementNames.filter { EmbeddedSQL.text(at: "sql/\($0).\(dialect).sql") != nil || EmbeddedSQL.text(at: "sql/\($0).sql") != nil }
    }

    @Test("a statement is written once unless a dialect differs, and every dialect has the same statements")
    func dialectsMatch() {
        // A shared file is the form of every dialect without a file of its own: it is never
        // also copied, unchanged, into a dialect file.
        for name in Self.statementNames {
            guard let shared = EmbeddedSQL.text(at: "sql/\(name).sql") else { continue }
            for dialect in Self.dialects {
                #expect(EmbeddedSQL.text(at: "sql/\(name).\(dialect).sql") != shared, "sql/\(name).\(dialect).sql repeats sql/\(name).sql")
            }
        }
        // Optional per dialect: a faster form where the dialect allows one.
        let optional: Set<String> = ["purge/select_batch", "purge/delete_ids"]
        for dialect in Self.dialects {
            let names = Self.names(dialect)
            #expect(names.contains("purge/select_batch") == names.contains("purge/delete_ids"), "\(dialect): select_batch and delete_ids go together")
        }
        let postgres = Self.names("postgresql").subtracting(optional)
        // SQLite has no session locks (BEGIN IMMEDIATE serializes writers), takes its busy
        // timeout from the URL, and cannot tell who holds its file lock.
        let notOnSQLite: Set<String> = [
            "locks/session_try_acquire", "locks/session_release", "migrations/set_timeouts",
            "locks/session_id", "locks/blockers", "locks/cancel_statement",
        ]
        #expect(Self.names("mysql").subtracting(optional) == postgres)
        #expect(Self.names("sqlite").subtracting(optional) == postgres.subtracting(notOnSQLite))
        let migrations = ["postgresql", "mysql", "sqlite"].map { dialect in
            EmbeddedSQL.paths(under: "migrations/\(dialect)/").map { ($0 as NSString).lastPathComponent }
        }
        #expect(migrations[0] == migrations[1])
        #expect(migrations[0] == migrations[2])
    }
}
