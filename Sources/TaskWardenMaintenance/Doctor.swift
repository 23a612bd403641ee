import Foundation
import TaskWardenCore
import TaskWardenMigrations
import TaskWardenSQL
import TaskWardenSchema

/// Checks a database for what causes the seeds' incidents, each with a one-line hint.
///
/// Connectivity, the schema's migrations, the table mapping, stuck runs, the settings that make
/// runs stick (MySQL `wait_timeout`, PostgreSQL `idle_in_transaction_session_timeout`, long
/// transactions holding locks, SQLite's journal mode and busy timeout), and the skew between
/// the database's clock and this machine's.
public struct Doctor {
    /// How a check came out; ordered, so the worst of a report is its maximum.
    public enum Level: Int, Sendable, Comparable, Codable, CustomStringConvertible {
        case ok, warn, fail
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        public var description: String { ["ok", "warn", "fail"][rawValue] }
    }

    /// One check's outcome.
    public struct Check: Sendable {
        public let name: String
        public let level: Level
        public let summary: String
        /// What to do about it, when not ok.
        public let hint: String?
    }

    public let connection: any DatabaseConnection
    public let table: TaskTable
    public let policy: StuckPolicy
    /// Transactions open longer than this are reported.
    public var longTransaction: Duration = .seconds(300)

    /// The checks on `connection`, for code that already holds one inside a ``DatabaseAccess``
    /// closure (the CLI); everything else starts from `runDoctor`.
    package init(connection: any DatabaseConnection, table: TaskTable = .taskRuns, policy: StuckPolicy = StuckPolicy()) {
        self.connection = connection
        self.table = table
        self.policy = policy
    }

    /// Runs every check. A check that cannot run is reported as failed, not thrown.
    public func run() -> [Check] {
        [roundTrip(), schema(), mapping(), statusValues(), timeValues(), indexes(), stuckRuns(), clockSkew()] + settings()
    }

    func attempt(_ name: String, _ body: () throws -> Check) -> Check {
        do {
            return try body()
        } catch {
            return Check(name: name, level: .fail, summary: String(describing: error).oneLine, hint: nil)
        }
    }

    private func roundTrip() -> Check {
        attempt("round trip") {
            let clock = ContinuousClock()
            let start = clock.now
            try connection.ping()
            let milliseconds = (clock.now - start).seconds * 1_000
            let summary = String(format: "%.2f ms to %@ %@", milliseconds, connection.dialect.description, connection.serverVersion)
            return milliseconds < 100
                ? Check(name: "round trip", level: .ok, summary: summary, hint: nil)
                : Check(name: "round trip", level: .warn, summary: summary, hint: "a slow round trip makes every short session slow; check the network path")
        }
    }

    private func schema() -> Check {
        attempt("schema") {
            let migrator = Migrator(
                connection: connection, set: try MigrationSet.builtIn(for: connection.dialect),
                openLockConnection: { throw MigrationError(.invalidRequest, "doctor takes no locks") })
            let report = try migrator.status()
            if !report.historyExists {
                return Check(name: "schema", level: .warn, summary: "never migrated", hint: "run 'taskwarden migrate' (it creates the journal that recover and reset write)")
            }
            if !report.dirty.isEmpty || !report.drift.isEmpty {
                return Check(
                    name: "schema", level: .fail, summary: "\(report.dirty.count) failed or interrupted, \(report.drift.count) drifted",
                    hint: "see 'taskwarden migrate status'")
            }
            if !report.pending.isEmpty {
                return Check(name: "schema", level: .warn, summary: "\(report.pending.count) migration(s) pending", hint: "run 'taskwarden migrate'")
            }
            return Check(name: "schema", level: .ok, summary: "at version \(report.currentVersion), up to date", hint: nil)
        }
    }

    private func mapping() -> Check {
        attempt("table") {
            let (sql, _) = try SQL.Runs.ProbeColumns().render(for: connection.dialect, names: table.identifiers)
            do {
                _ = try connection.query(sql, [])
            } catch let error as DatabaseError {
                return Check(
                    name: "table", level: .fail, summary: "\(table.name): \(error.message.oneLine)",
                    hint: "check the table mapping in taskwarden.yaml (or run 'taskwarden migrate' for task_runs)")
            }
            do {
                try TaskRuns(connection: connection, table: table).checkTimeZone(of: table)
            } catch let error as MaintenanceError {
                return Check(name: "table", level: .fail, summary: error.description, hint: "time_zone is for timestamp/DATETIME/text columns that hold wall-clock times")
            }
            return Check(name: "table", level: .ok, summary: "\(table.name) has the \(table.columns.count) mapped columns", hint: nil)
        }
    }

    private func stuckRuns() -> Check {
        attempt("stuck runs") {
            let stuck = try TaskRuns(connection: connection, table: table).findStuck(policy: policy)
            guard let oldest = stuck.first else {
                return Check(name: "stuck runs", level: .ok, summary: "none (threshold \(policy.defaultThreshold.compactText))", hint: nil)
            }
            return Check(
                name: "stuck runs", level: .warn,
                summary: "\(stuck.count) running without a sign of life past their threshold, the oldest silent for \(oldest.silentFor.ageText)",
                hint: "inspect with 'taskwarden stuck', then 'taskwarden recover --dry-run'")
        }
    }

    private func clockSkew() -> Check {
        attempt("clock skew") {
            let database = try DatabaseClock.now(on: connection)
            let skew = abs(database.secondsSinceEpoch - Timestamp.now.secondsSinceEpoch)
            let summary = String(format: "database clock is %.1f s from this machine's", skew)
            let hint = "stuck detection uses the database's clock; workers that write heartbeats with their own clocks will look stale or fresh by the skew: run NTP"
            if skew < 5 { return Check(name: "clock skew", level: .ok, summary: summary, hint: nil) }
            return Check(name: "clock skew", level: skew < 60 ? .warn : .fail, summary: summary, hint: hint)
        }
    }

    private func settings() -> [Check] {
        let row: Row
        do {
            guard let first = try connection.query(SQL.Doctor.Settings(longSeconds: .integer(Int64(longTransaction.seconds)))).first
            else { return [] }
            row = first.raw
        } catch {
            return [Check(name: "settings", level: .warn, summary: "could not read: \(String(describing: error).oneLine)", hint: nil)]
        }
        var checks: [Check] = []
        switch connection.backend {
        case .postgresql:
            let idle = (try? row.decode(String.self, "idle_in_transaction_session_timeout")) ?? "?"
            checks.append(
                idle == "0"
                    ? Check(
                        name: "idle_in_transaction_session_timeout", level: .warn, summary: "0 (disabled)",
                        hint: "a worker that dies inside a transaction keeps its locks until the connection drops: set it, e.g. to 10min")
                    : Check(name: "idle_in_transaction_session_timeout", level: .ok, summary: idle, hint: nil))
            checks.append(longTransactions(row))
        case .mysql:
            let wait = (try? row.decode(Int.self, "wait_timeout")) ?? 0
            checks.append(
                wait < 600
                    ? Check(
                        name: "wait_timeout", level: .warn, summary: "\(wait) s",
                        hint: "a worker holding one connection through longer work loses it (2013 Lost connection) and its final update: use short sessions, or raise wait_timeout")
                    : Check(name: "wait_timeout", level: .ok, summary: "\(wait) s", hint: nil))
            checks.append(longTransactions(row))
        case .sqlite:
            let mode = (try? row.decode(String.self, "journal_mode")) ?? "?"
            checks.append(
                mode.lowercased() == "wal"
                    ? Check(name: "journal_mode", level: .ok, summary: mode, hint: nil)
                    : Check(
                        name: "journal_mode", level: .warn, summary: mode,
                        hint: "in \(mode) mode a writer blocks readers: use WAL (PRAGMA journal_mode=WAL, or ?journal_mode=wal in the URL)"))
            let timeout = Int(((connection.clientLockWait ?? .zero).seconds * 1_000).rounded())
            checks.append(
                timeout > 0
                    ? Check(name: "busy_timeout", level: .ok, summary: "\(timeout) ms", hint: nil)
                    : Check(name: "busy_timeout", level: .warn, summary: "0", hint: "writers fail at once with SQLITE_BUSY: set ?busy_timeout=5000"))
        }
        return checks
    }

    private func longTransactions(_ row: Row) -> Check {
        let count = (try? row.decode(Int.self, "long_transactions")) ?? 0
        let oldest = (try? row.decode(Int?.self, "oldest_transaction_seconds")) ?? nil
        guard count > 0 else {
            return Check(name: "long transactions", level: .ok, summary: "none open longer than \(longTransaction.compactText)", hint: nil)
        }
        return Check(
            name: "long transactions", level: .warn,
            summary: "\(count) open longer than \(longTransaction.compactText)\(oldest.map { ", the oldest for \($0) s" } ?? "")",
            hint: "long transactions hold locks that block cleanup and recovery: find them in pg_stat_activity / information_schema.innodb_trx")
    }
}
