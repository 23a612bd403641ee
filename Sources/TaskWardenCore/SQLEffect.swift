/// What running one statement does besides answering it: nothing (a plain read), lock the rows
/// it reads, or change something.
///
/// ``ScriptingConnection`` runs only plain reads on the real session: a locking read would
/// take row locks (or wait for another session's) while nothing is meant to change, and a
/// statement that writes through a query (a `DELETE` in a `WITH`, with `RETURNING`) would
/// change what a script only shows. So the statement's text is read here, by the words of its
/// code (never inside a string or comment, as ``SQLStatementSplitter`` finds them): anything
/// that is not clearly a read counts as a write.
package enum SQLEffect: Sendable, Hashable {
    /// A `SELECT` (`WITH`, `VALUES`, `SHOW`, `EXPLAIN`) that locks and changes nothing.
    case read
    /// A read that locks what it reads: `FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`,
    /// `FOR KEY SHARE`, `LOCK IN SHARE MODE`. `unlocked` is the same read without its locking
    /// clause, where that clause ends the statement (as it does in every locking read of
    /// `sql/`); `nil` where it cannot be taken off (a lock inside a subquery, a `LIMIT` after it).
    case lockingRead(unlocked: String?)
    /// Anything else: a write, DDL, a session setting or transaction control, a read into a
    /// variable or a table, a read that calls a function taking a lock or changing a setting.
    case write

    /// The effect of `sql`, as `backend` reads its comments and quotes.
    package init(of sql: String, on backend: DatabaseBackend) {
        let splitter = SQLStatementSplitter(backend: backend)
        let bytes = Array(sql.utf8)
        let found = splitter.words(in: sql)
        let words = found.map { String(decoding: bytes[$0.range], as: UTF8.self).uppercased() }
        guard let first = words.first, Self.readingVerbs.contains(first) else {
            self = .write
            return
        }
        // The first word of each locking clause.
        var locks: [Int] = []
        for (index, word) in words.enumerated() {
            func follows(_ before: String...) -> Bool {
                index >= before.count && Array(words[(index - before.count)..<index]) == before
            }
            switch word {
            case "UPDATE" where follows("FOR"): locks.append(index - 1)
            case "UPDATE" where follows("FOR", "NO", "KEY"): locks.append(index - 3)
            case "SHARE" where follows("FOR"): locks.append(index - 1)
            case "SHARE" where follows("FOR", "KEY"): locks.append(index - 2)
            case "SHARE" where follows("LOCK", "IN") && words.dropFirst(index + 1).first == "MODE": locks.append(index - 2)
            case _ where Self.writingWords.contains(word) || Self.changingFunctions.contains(word)
                || Self.changingFunctionPrefixes.contains(where: { word.hasPrefix($0) }):
                self = .write
                return
            default: break
            }
        }
        guard let lock = locks.first else {
            self = .read
            return
        }
        // Only a clause at the top level that ends the statement comes off whole, leaving the
        // read and its values as they were.
        let cut = found[lock].range.lowerBound
        let tail = words[lock...]
        let removable =
            locks.allSatisfy { found[$0].depth == 0 } && !tail.contains(where: Self.clausesAfterLock.contains)
            && !splitter.placeholders(in: sql).contains { $0.lowerBound >= cut }
        guard removable else {
            self = .lockingRead(unlocked: nil)
            return
        }
        var unlocked = bytes[..<cut]
        while let last = unlocked.last, last == UInt8(ascii: " ") || (0x09...0x0D).contains(last) { unlocked.removeLast() }
        self = .lockingRead(unlocked: String(decoding: unlocked, as: UTF8.self))
    }

    /// The first words of statements that read.
    private static let readingVerbs: Set<String> = ["SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC"]
    /// Words that make a statement starting with a reading verb write: a `WITH` that changes
    /// rows, `SELECT ... INTO` (a variable, a file, a new table). Not `REPLACE`, which reads as
    /// a string function; MySQL's `REPLACE` statement starts with it, so it is no read anyway.
    private static let writingWords: Set<String> = ["INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "INTO"]
    /// Functions that take session locks, move sequences, change settings or stop other
    /// sessions: a `SELECT` of one is no plain read.
    private static let changingFunctions: Set<String> = [
        "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "NEXTVAL", "SETVAL", "SET_CONFIG", "PG_CANCEL_BACKEND", "PG_TERMINATE_BACKEND",
    ]
    /// PostgreSQL's advisory locks, each in several forms (`pg_advisory_xact_lock_shared`, ...).
    private static let changingFunctionPrefixes = ["PG_ADVISORY_", "PG_TRY_ADVISORY_"]
    /// Clauses that may follow a locking clause (PostgreSQL takes `LIMIT` on either side of
    /// it): taking the lock off there would take them off too.
    private static let clausesAfterLock: Set<String> = ["LIMIT", "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT", "ORDER", "GROUP", "WHERE", "FROM", "SELECT"]
}
