import Foundation
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSQLSyntax
import Testing

/// The generated Swift is exactly `migrations/` and `sql/` (less the benchmark's own statements):
/// nothing missing, nothing stale. `EmbedSQLPlugin` generates it at build time.
@Suite("Embedded SQL")
struct EmbeddedSQLTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func filesOnDisk(_ folder: String) throws -> [String: String] {
        var files: [String: String] = [:]
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [:] }
        for case let relative as String in enumerator where relative.hasSuffix(".sql") && !(folder == "sql" && relative.hasPrefix("bench/")) {
            files["\(folder)/\(relative)"] = try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
        }
        return files
    }

    static let dialects: [(name: String, backend: DatabaseBackend)] = [("postgresql", .postgresql), ("mysql", .mysql), ("sqlite", .sqlite)]

    @Test("the embedded migrations equal the files on disk")
    func migrationsEqualDisk() throws {
        let disk = try Self.filesOnDisk("migrations")
        #expect(!disk.isEmpty)
        let embedded = Set(EmbeddedSQL.allPaths)
        #expect(Set(disk.keys).subtracting(embedded).sorted() == [], "not embedded")
        #expect(embedded.subtracting(disk.keys).sorted() == [], "embedded but not on disk")
        for (path, text) in disk {
            #expect(EmbeddedSQL.text(at: path) == text, "\(path) differs from its embedded copy")
        }
        let migrations = ["postgresql", "mysql", "sqlite"].map { dialect in
            EmbeddedSQL.paths(under: "migrations/\(dialect)/").map { ($0 as NSString).lastPathComponent }
        }
        #expect(migrations[0] == migrations[1])
        #expect(migrations[0] == migrations[2])
    }

    /// The partials on disk (`sql/<area>/_<name>.sql`), by `<area>/<name>`, and the statements' files.
    static func partialsAndStatements() throws -> (partials: [String: String], statements: [String: String]) {
        var partials: [String: String] = [:]
        var statements: [String: String] = [:]
        for (path, text) in try filesOnDisk("sql") {
            let parts = path.split(separator: "/")
            if SQLPartials.isPartial(fileName: parts[2]) {
                partials["\(parts[1])/\(parts[2].dropFirst().dropLast(".sql".count))"] = text
            } else {
                statements[path] = text
            }
        }
        return (partials, statements)
    }

    @Test("every statement's form for each dialect is its file on disk (partials written in), no benchmark statement ships, every partial is used")
    func statementsEqualDisk() throws {
        let (partials, disk) = try Self.partialsAndStatements()
        #expect(!disk.isEmpty)
        var covered: Set<String> = []
        for statement in SQL.allStatements {
            #expect(!statement.name.hasPrefix("bench/"))
            for (dialect, backend) in Self.dialects {
                let own = "sql/\(statement.name).\(dialect).sql"
                let shared = "sql/\(statement.name).sql"
                let expected = try (disk[own] ?? disk[shared]).map { try SQLPartials.expand($0, partials: partials) }
                #expect(statement.template(for: backend)?.source == expected, "\(statement.name) for \(dialect)")
                #expect(statement.backends.contains(backend) == (expected != nil), "\(statement.name) for \(dialect)")
                if disk[own] != nil { covered.insert(own) } else if expected != nil { covered.insert(shared) }
            }
        }
        #expect(Set(disk.keys).subtracting(covered).sorted() == [], "files no statement uses")
        for name in partials.keys {
            #expect(disk.values.contains { $0.contains("{{> \(name)}}") }, "partial \(name) is included nowhere")
        }
    }

    @Test("a statement is written once unless a dialect differs, and only these are not on every dialect")
    func dialectsMatch() throws {
        let disk = try Self.partialsAndStatements().statements
        // A shared file is the form of every dialect without a file of its own: it is never
        // also copied, unchanged, into a dialect file.
        for statement in SQL.allStatements {
            guard let shared = disk["sql/\(statement.name).sql"] else { continue }
            for (dialect, _) in Self.dialects {
                #expect(disk["sql/\(statement.name).\(dialect).sql"] != shared, "sql/\(statement.name).\(dialect).sql repeats sql/\(statement.name).sql")
            }
        }
        // SQLite has no session locks (BEGIN IMMEDIATE serializes writers), takes its busy
        // timeout from the URL, and cannot tell who holds its file lock. The key-batch purge is
        // SQLite's (PurgeStrategy); PostgreSQL's purge session changes nothing. PostgreSQL deletes
        // a primary-key range for all statuses in one statement (DELETE in a WITH, RETURNING).
        // Bulk changes and undo lock a batch by a statement of its own on MySQL only:
        // PostgreSQL's journal statement locks what it reads, SQLite's BEGIN IMMEDIATE holds
        // the write lock. PostgreSQL undoes a page in one statement, the others journal it and
        // then restore it. SQLite has no partitions; only PostgreSQL copies a partition into the
        // archive in the transaction that detaches it and drops it apart, and only MySQL unlocks
        // LOCK TABLES. Galera is a MariaDB cluster: its settings and causal reads are MySQL's.
        // Only PostgreSQL estimates how many rows hold each common status value (pg_stats).
        let partial: [String: Set<DatabaseBackend>] = [
            "locks/session_try_acquire": [.postgresql, .mysql], "locks/session_release": [.postgresql, .mysql],
            "migrations/set_timeouts": [.postgresql, .mysql], "locks/session_id": [.postgresql, .mysql],
            "locks/blockers": [.postgresql, .mysql], "locks/cancel_statement": [.postgresql, .mysql],
            "purge/select_batch": [.sqlite], "purge/delete_ids": [.sqlite], "purge/select_id_batch": [.sqlite], "purge/checkpoint": [.sqlite],
            "purge/session": [.mysql, .sqlite], "purge/session_read": [.mysql, .sqlite],
            "purge/restore_isolation": [.mysql], "purge/restore_cache_size": [.sqlite],
            "purge/delete_id_range_arms": [.postgresql], "purge/delete_block_range": [.postgresql], "purge/table_blocks": [.postgresql],
            "purge/asynchronous_commit": [.postgresql],
            "bulk/lock": [.mysql], "undo/lock": [.mysql],
            "undo/journal": [.mysql, .sqlite], "undo/restore": [.mysql, .sqlite], "undo/restore_page": [.postgresql],
            "partitions/list": [.postgresql, .mysql], "partitions/statuses": [.postgresql, .mysql], "partitions/keeps": [.postgresql, .mysql],
            "partitions/lock": [.postgresql, .mysql], "partitions/drop": [.postgresql, .mysql], "partitions/archive": [.postgresql],
            "partitions/detach": [.postgresql], "partitions/mark_detached": [.postgresql], "partitions/detached": [.postgresql],
            "partitions/unlock": [.mysql],
            "locks/galera_settings": [.mysql], "locks/galera_sync_wait": [.mysql], "locks/galera_sync_wait_read": [.mysql],
            "runs/estimated_status_counts": [.postgresql],
            "runs/estimated_status_count": [.mysql],
        ]
        for statement in SQL.allStatements {
            #expect(statement.backends == partial[statement.name] ?? Set(DatabaseBackend.allCases), "\(statement.name)")
        }
        #expect(Set(SQL.allStatements.map { $0.name }).isSuperset(of: partial.keys))
    }

    @Test("a statement rendered for a backend without a form throws, naming both")
    func unavailable() throws {
        let sqlite = SQLDialect(
            backend: .sqlite, placeholderStyle: .questionMark, returning: .all, supportsDeleteLimit: false,
            supportsSkipLocked: false, locking: .databaseFileLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN IMMEDIATE")
        let error = #expect(throws: SQLStatementUnavailable.self) { try SQL.Locks.SessionTryAcquire(name: "x").render(for: sqlite) }
        #expect(error?.description == "sql/locks/session_try_acquire has no form for SQLite")
    }
}
