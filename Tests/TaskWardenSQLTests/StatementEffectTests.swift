import TaskWardenCore
import TaskWardenSQL
import TaskWardenSQLSyntax
import Testing

/// What each statement of `sql/` does besides answering (``SQLEffect``), as rendered for each
/// dialect: what a script (`--show-sql`, a preview) runs for real, and what it only records.
@Suite("statement effects of sql/")
struct StatementEffectTests {
    static let dialects: [SQLDialect] = [
        SQLDialect(
            backend: .postgresql, placeholderStyle: .dollarNumbered, returning: .all, supportsDeleteLimit: false,
            supportsSkipLocked: true, locking: .advisoryLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN"),
        SQLDialect(
            backend: .mysql, placeholderStyle: .questionMark, returning: [], supportsDeleteLimit: true,
            supportsSkipLocked: true, locking: .namedLock, identifierQuote: "`", beginTransactionSQL: "START TRANSACTION"),
        SQLDialect(
            backend: .sqlite, placeholderStyle: .questionMark, returning: .all, supportsDeleteLimit: false,
            supportsSkipLocked: false, locking: .databaseFileLock, identifierQuote: "\"", beginTransactionSQL: "BEGIN IMMEDIATE"),
    ]

    /// Every statement's form for every dialect, rendered with each flag off and then on (a
    /// value for each parameter, one element per block), by `name dialect`.
    static func effects() throws -> [String: [SQLEffect]] {
        var effects: [String: [SQLEffect]] = [:]
        for statement in SQL.allStatements {
            for dialect in dialects {
                guard let template = statement.template(for: dialect.backend) else { continue }
                let interface = try SQLTemplateInterface(SQLTemplateSyntax.parse(template.source))
                var names: [String: SQLIdentifier] = [:]
                for name in interface.names { names[name] = try SQLIdentifier("n_\(name)") }
                let values = interface.parameters.filter { $0.kind == .value }.map { ($0.name, DatabaseValue.integer(1)) }
                let lists = interface.parameters.filter { $0.kind == .list }.map { ($0.name, [DatabaseValue.integer(1)]) }
                let integers = interface.parameters.filter { $0.kind == .integer }.map { ($0.name, 1) }
                var blocks: [String: [[String: DatabaseValue]]] = [:]
                for (list, block) in interface.blocks {
                    var element: [String: DatabaseValue] = [:]
                    for field in block.fields { element[field] = .integer(1) }
                    for field in block.nameFields { element[field] = .text("n_\(field)") }
                    blocks[list] = [element]
                }
                for flags in [Set<String>(), Set(interface.flags)] {
                    let arguments = SQLArguments(
                        values: Dictionary(uniqueKeysWithValues: values), lists: Dictionary(uniqueKeysWithValues: lists), flags: flags,
                        blocks: blocks, integers: Dictionary(uniqueKeysWithValues: integers))
                    let sql = try template.render(for: dialect, names: names, arguments).sql
                    effects["\(statement.name) \(dialect.backend.rawValue)", default: []].append(SQLEffect(of: sql, on: dialect.backend))
                }
            }
        }
        return effects
    }

    @Test("the locking reads of sql/ are these, and each comes off its lock whole (so a script answers it without taking one)")
    func lockingReads() throws {
        let effects = try Self.effects()
        var locking: Set<String> = []
        for (key, forms) in effects where forms.contains(where: { if case .lockingRead = $0 { true } else { false } }) {
            locking.insert(key)
            for form in forms {
                guard case .lockingRead(let unlocked) = form else { continue }
                let backend = Self.dialects.first { key.hasSuffix(" \($0.backend.rawValue)") }!.backend
                #expect(unlocked.map { SQLEffect(of: $0, on: backend) } == .read, "\(key): its lock does not come off")
            }
        }
        // MySQL locks a batch (bulk/lock) and an undo's page (undo/lock) by a read of its own;
        // the purge's --export reads its rows locked (never scripted: --show-sql refuses
        // --export); the watchdog's fence locks its lease row. SQLite has no row locks.
        #expect(locking == [
            "bulk/lock mysql", "undo/lock mysql", "purge/select_range postgresql", "purge/select_range mysql",
            "purge/select_id_range postgresql", "purge/select_id_range mysql", "locks/lease_fence postgresql", "locks/lease_fence mysql",
        ])
    }

    @Test("the statements of sql/ that read but are no plain read: a script records them and never runs them")
    func readingWrites() throws {
        var writes: Set<String> = []
        for (key, forms) in try Self.effects() where forms.contains(.write) {
            guard let template = SQL.allStatements.first(where: { key.hasPrefix("\($0.name) ") }) else { continue }
            let backend = Self.dialects.first { key.hasSuffix(" \($0.backend.rawValue)") }!.backend
            let code = template.template(for: backend)!.source.split(separator: "\n").filter { !$0.hasPrefix("--") }
            if let first = code.first?.split(separator: " ").first?.uppercased(), ["SELECT", "WITH"].contains(first) { writes.insert(key) }
        }
        // PostgreSQL's purge of several statuses deletes in a WITH and returns counts, and its
        // undo of a page locks, restores and journals in one WITH; session
        // locks are taken and released, a migration's timeouts set and a blocker's statement
        // cancelled by a SELECT of a function.
        #expect(writes == [
            "purge/delete_id_range_arms postgresql", "undo/restore_page postgresql",
            "locks/session_try_acquire postgresql", "locks/session_try_acquire mysql",
            "locks/session_release postgresql", "locks/session_release mysql",
            "migrations/set_timeouts postgresql", "locks/cancel_statement postgresql",
        ])
    }
}
