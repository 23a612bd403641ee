import Foundation
import TaskWarden
import TaskWardenSQL

/// Watches, from a second session, whether a command's session waits for a lock, and who holds it.
///
/// A maintenance command behind someone's `LOCK TABLE` used to wait forever with no output.
/// The session's lock wait is now limited (`--lock-wait`); meanwhile this watch tells the
/// operator on a terminal what the command waits for, and remembers the holder for the error
/// line if the wait runs out. It opens its connection only once a second has passed, so
/// commands that finish sooner cost nothing. SQLite cannot tell who holds its file lock, so
/// nothing is watched there.
final class LockWaitWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var lastHolder: String?

    private init() {}

    /// Starts watching the session `connection`; `openAnother` opens the watching session.
    ///
    /// - Parameter announce: whether to say on standard error that the command waits (on a terminal).
    static func start(
        connection: any DatabaseConnection, openAnother: @escaping @Sendable () throws -> any DatabaseConnection,
        announce: Bool, limit: Duration
    ) -> LockWaitWatch {
        let watch = LockWaitWatch()
        let dialect = connection.dialect
        guard dialect.locking != .databaseFileLock,
            let id = try? connection.query(SQL.Locks.SessionId()).first?.sessionId
        else { return watch }
        Thread {
            watch.poll(sessionID: id, dialect: dialect, openAnother: openAnother, announce: announce, limit: limit)
        }.start()
        return watch
    }

    /// Who held the lock, as last seen, for an error message.
    var holder: String? {
        lock.lock()
        defer { lock.unlock() }
        return lastHolder
    }

    /// Stops the watch; it closes its session within a poll.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func poll(
        sessionID: DatabaseValue, dialect: SQLDialect, openAnother: () throws -> any DatabaseConnection, announce: Bool,
        limit: Duration
    ) {
        var watcher: (any DatabaseConnection)?
        defer { watcher?.close() }
        var announced = false
        while true {
            for _ in 0..<10 {
                Thread.sleep(forTimeInterval: 0.1)
                if isStopped { return }
            }
            do {
                if watcher == nil { watcher = try openAnother() }
                let rows = try watcher!.query(SQL.Locks.Blockers(id: sessionID)).map(\.raw)
                guard !rows.isEmpty else { continue }
                let holder = rows.map(Self.describe).joined(separator: "; ")
                lock.lock()
                lastHolder = holder
                lock.unlock()
                if announce && !announced {
                    announced = true
                    FileHandle.standardError.write(
                        Data("taskwarden: waiting for a lock held by \(holder) (giving up after \(limit.compactText), see --lock-wait)\n".utf8))
                }
            } catch {
                // The watch is a courtesy: a server that cannot answer (no INNODB_LOCK_WAITS on
                // MySQL 8, no permission) leaves the command's own lock wait limit in charge.
                return
            }
        }
    }

    /// `session 4242 (app@reporting: LOCK TABLE task_runs IN ACCESS EXCLUSIVE MODE)`.
    private static func describe(_ row: Row) -> String {
        let id = (try? row.decode(Int64.self, "id")) ?? 0
        let user = (try? row.decode(String.self, "user_name")) ?? ""
        let application = (try? row.decode(String.self, "application")) ?? ""
        let state = (try? row.decode(String.self, "state")) ?? ""
        let query = TerminalText.escaped((try? row.decode(String.self, "query")) ?? "")
        guard id != 0 else { return "another session (this one shows '\(TerminalText.escaped(state))')" }
        let who = TerminalText.escaped([user, application].filter { !$0.isEmpty }.joined(separator: "@"))
        let what = query.isEmpty ? TerminalText.escaped(state) : query
        return "session \(id)" + (who.isEmpty && what.isEmpty ? "" : " (\(who)\(who.isEmpty ? "" : ": ")\(what))")
    }

}

/// A lock wait that ran past `--lock-wait`.
struct LockWaitExceeded: Error, CustomStringConvertible {
    let limit: Duration
    let holder: String?
    let underlying: DatabaseError

    var description: String {
        let held = holder.map { " held by \($0)" } ?? " held by another session"
        return "gave up after \(limit.compactText) waiting for a lock\(held); try again later, or wait longer with --lock-wait (\(underlying.message.oneLine))"
    }
}
