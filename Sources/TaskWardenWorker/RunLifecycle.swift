import Foundation
import Logging
import TaskWardenCore
import TaskWardenSQL
import TaskWardenSchema

/// What a worker does with a run, each step its own short session with retries, never
/// holding a connection across the worker's own work (the three phases of seed 002).
///
/// ```swift
/// let lifecycle = RunLifecycle(database: pool, worker: "publisher-7")
/// let ticket = try lifecycle.start(runID)              // queued -> running
/// try lifecycle.heartbeat(ticket, progress: 40)        // while working, every few seconds
/// if try lifecycle.isCancelRequested(ticket) { ... }   // someone ran `taskwarden cancel`
/// try lifecycle.finish(ticket, .succeeded(message: nil))           // running -> succeeded, exactly once
/// ```
///
/// Every write is a compare-and-set on the run's fencing token (its start time, plus worker
/// and attempt where the table has them): if the run was recovered, reset or restarted
/// meanwhile, `heartbeat` and `finish` throw ``RunLost`` instead of overwriting it. Because
/// `finish` recognises its own earlier success, re-running it after a connection lost during
/// `COMMIT` is safe.
///
/// Each step comes twice with the same name: blocking (`noasync`, for threads of your own) and
/// `async` (RunLifecycle+Async.swift), which runs its statements on the connection's own
/// thread and honours task cancellation.
public struct RunLifecycle: Sendable {
    /// Where each step takes its short session from: usually a ``ConnectionPool``.
    public let database: any DatabaseAccess
    public let table: TaskTable
    /// Who runs the runs: written to the worker column and matched by heartbeat and finish.
    public let worker: String
    public var retry: RetryPolicy
    /// Where ``run(_:heartbeatEvery:_:)`` reports what it cannot throw: a `finish` that failed
    /// after the work had already failed.
    public var logger: Logger

    public init(
        database: some DatabaseAccess, table: TaskTable = .taskRuns, worker: String = RunLifecycle.defaultWorker(),
        retry: RetryPolicy = .standard, logger: Logger = Logger(label: "taskwarden.worker")
    ) {
        self.database = database
        self.table = table
        self.worker = worker
        self.retry = retry
        self.logger = logger
    }

    /// `host:pid`.
    public static func defaultWorker() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Moves a queued run to running for this worker; every call is a start of its own.
    ///
    /// The compare-and-set from a queued value is the claim: a second `start` of the same run
    /// fails, even from the same worker name, because nothing but the queued status tells one
    /// call's start from another's. (Treating "already running under my name" as this call's
    /// own earlier start would let two calls sharing a worker name, or any two calls on a
    /// table without a worker column, both believe they hold the run.)
    ///
    /// Each call also writes a random token of its own where the table has a `start_token`
    /// column (TaskWarden's own table does, from migration 3). When the connection is lost
    /// during `COMMIT`, the start reads the run back on a fresh session: running with its
    /// token means its start landed, still queued means it did not and it starts again.
    /// Without that column the outcome cannot be told apart, and the start is not re-run.
    ///
    /// - Throws: ``RunLost`` when the run is not queued (another call took it, or it was
    ///   cancelled); `CommitOutcomeUnknown` when the connection was lost during `COMMIT` on
    ///   a table without a `start_token` column: the run may now be running with a start time
    ///   this worker does not know, so do not work on it; if it did start, stuck detection
    ///   (`taskwarden recover`) returns it once its threshold has passed. Other errors after
    ///   the retries: see ``retry``.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func start(_ id: DatabaseValue) throws -> RunTicket {
        // A start whose COMMIT was lost and did not land is started again, a few times at most.
        for _ in 0..<4 {
            let token = UUID().uuidString.lowercased()
            do {
                return try database.withTransaction(retry: retry, idempotent: false) { db in try self.claim(id, token: token, db) }
            } catch let unknown as CommitOutcomeUnknown {
                guard table.has(.startToken) else { throw unknown }
                let current = try database.withConnection(retry: retry) { db in try self.current(id, db) }
                if let ticket = try resolveLostClaim(id, token: token, current: current) { return ticket }
            }
        }
        let token = UUID().uuidString.lowercased()
        return try database.withTransaction(retry: retry, idempotent: false) { db in try self.claim(id, token: token, db) }
    }

    /// After a claim's `COMMIT` was lost: the ticket when the run holds `token` (the claim
    /// landed), `nil` when it is still queued (it did not, claim again).
    func resolveLostClaim(_ id: DatabaseValue, token: String, current: CurrentRun?) throws -> RunTicket? {
        guard let current else { throw RunLost(id: id, currentStatus: nil, during: .start) }
        switch table.status(of: current.status) {
        case .running where current.startToken == token:
            return RunTicket(id: id, startedAt: current.startedAt, attempt: current.attempt)
        case .queued:
            return nil
        default:
            throw RunLost(id: id, currentStatus: current.status, during: .start)
        }
    }

    /// One compare-and-set from queued to running, writing `token` where the table keeps one.
    func claim(_ id: DatabaseValue, token: String, _ db: any DatabaseConnection) throws -> RunTicket {
        let now = try DatabaseClock.now(on: db)
        let start = SQL.Lifecycle.Start(
            runningStatus: .text(table.written(.running)), now: table.times.encode(now), worker: .text(worker),
            startToken: .text(token), id: id, queuedStatuses: table.values(.queued))
        let changed = try db.execute(start, names: table.identifiers)
        let current = try self.current(id, db)
        guard changed > 0, let current else { throw RunLost(id: id, currentStatus: current?.status, during: .start) }
        return RunTicket(id: id, startedAt: current.startedAt, attempt: current.attempt)
    }

    /// Records a sign of life (and the progress, where the table has a progress column).
    ///
    /// - Throws: ``RunLost`` when the run is no longer this worker's; ``LifecycleError`` when
    ///   the table has no heartbeat column.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func heartbeat(_ ticket: RunTicket, progress: Double? = nil) throws {
        try requireHeartbeatColumn()
        try database.withConnection(retry: retry) { db in try self.recordHeartbeat(ticket, progress: progress, db) }
    }

    /// Throws ``LifecycleError`` when the table has nowhere to record a heartbeat.
    func requireHeartbeatColumn() throws {
        guard table.has(.heartbeatAt) else {
            throw LifecycleError("table \(table.name) has no heartbeat column: map 'heartbeat_at' to record signs of life (stuck detection then uses the start time alone)")
        }
    }

    /// The compare-and-set that records the heartbeat, on one attempt's connection.
    func recordHeartbeat(_ ticket: RunTicket, progress: Double?, _ db: any DatabaseConnection) throws {
        let now = try DatabaseClock.now(on: db)
        let withProgress = progress != nil && table.has(.progress)
        let heartbeat = SQL.Lifecycle.Heartbeat(
            now: table.times.encode(now), progress: progress.map(DatabaseValue.double) ?? .null, id: ticket.id,
            runningStatuses: table.values(.running), startedAt: ticket.startedAt, withProgress: withProgress)
        let changed = try db.execute(heartbeat, names: table.identifiers)
        if changed == 0 { throw RunLost(id: ticket.id, currentStatus: try current(ticket.id, db)?.status, during: .heartbeat) }
    }

    /// Whether someone asked the run to stop (`taskwarden cancel`), or it is no longer running.
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func isCancelRequested(_ ticket: RunTicket) throws -> Bool {
        try database.withConnection(retry: retry) { db in try self.readCancelRequest(ticket, db) }
    }

    /// Reads the run's cancel request, on one attempt's connection.
    func readCancelRequest(_ ticket: RunTicket, _ db: any DatabaseConnection) throws -> Bool {
        guard let current = try current(ticket.id, db) else { return true }
        return current.cancelRequested || current.startedAt != ticket.startedAt || table.status(of: current.status) != .running
    }

    /// Writes the run's final status, exactly once.
    ///
    /// - Throws: ``RunLost`` when the run was recovered, reset or restarted meanwhile: the
    ///   caller learns its result did not land, instead of it silently overwriting (or being
    ///   silently dropped).
    @available(*, noasync, message: "use the async form: this blocks the calling thread")
    public func finish(_ ticket: RunTicket, _ outcome: RunOutcome) throws {
        try database.withTransaction(retry: retry, idempotent: true) { db in try self.writeFinalStatus(ticket, outcome, db) }
    }

    /// The compare-and-set to the final status; recognises its own earlier success.
    func writeFinalStatus(_ ticket: RunTicket, _ outcome: RunOutcome, _ db: any DatabaseConnection) throws {
        try table.checkWritable(outcome.status)
        let now = try DatabaseClock.now(on: db)
        let finalValue = table.written(outcome.status)
        let noteColumn = outcome.noteColumn(in: table)
        var names = table.identifiers
        let noteIdentifier = noteColumn.flatMap { table.columns[$0] }
        if let noteIdentifier { names["note_column"] = noteIdentifier }
        let finish = SQL.Lifecycle.Finish(
            finalStatus: .text(finalValue), now: table.times.encode(now), note: outcome.note.map(DatabaseValue.text) ?? .null,
            id: ticket.id, runningStatuses: table.values(.running), startedAt: ticket.startedAt, withNote: noteIdentifier != nil)
        let changed = try db.execute(finish, names: names)
        guard changed == 0 else { return }
        let current = try current(ticket.id, db)
        // A repeat after a lost COMMIT: the first attempt landed.
        if let current, current.status == finalValue, current.startedAt == ticket.startedAt { return }
        throw RunLost(id: ticket.id, currentStatus: current?.status, during: .finish)
    }

    func current(_ id: DatabaseValue, _ db: any DatabaseConnection) throws -> CurrentRun? {
        guard let row = try db.query(SQL.Runs.Current(id: id), names: table.identifiers).first else { return nil }
        return CurrentRun(
            status: try row.decode(String.self, .status), startedAt: row.startedAt ?? .null,
            worker: row.worker.flatMap(String.fromDatabaseValue), attempt: row.attempt.flatMap(Int.fromDatabaseValue),
            cancelRequested: !(row.cancelRequestedAt ?? .null).isNull,
            startToken: row.startToken.flatMap(String.fromDatabaseValue))
    }
}

/// A run this worker holds, with its fencing token.
public struct RunTicket: Sendable, Hashable {
    public let id: DatabaseValue
    /// The start time as stored: heartbeat and finish match it.
    public let startedAt: DatabaseValue
    public let attempt: Int?
}

/// How a run ended.
public enum RunOutcome: Sendable, Hashable {
    case succeeded(message: String? = nil)
    case failed(error: String)
    case cancelled(reason: String? = nil)

    public var status: TaskStatus {
        switch self {
        case .succeeded: .succeeded
        case .failed: .failed
        case .cancelled: .cancelled
        }
    }

    var note: String? {
        switch self {
        case .succeeded(let message): message
        case .failed(let error): error
        case .cancelled(let reason): reason ?? "cancelled"
        }
    }

    /// Errors go to the error column; messages to the message column (else the error column
    /// for a cancellation, so the reason is kept).
    func noteColumn(in table: TaskTable) -> TaskTable.Column? {
        guard note != nil else { return nil }
        switch self {
        case .failed: return table.has(.error) ? .error : table.has(.message) ? .message : nil
        case .succeeded: return table.has(.message) ? .message : nil
        case .cancelled: return table.has(.message) ? .message : table.has(.error) ? .error : nil
        }
    }
}

/// What a run looks like now.
struct CurrentRun {
    let status: String
    let startedAt: DatabaseValue
    let worker: String?
    let attempt: Int?
    let cancelRequested: Bool
    /// The token of the call that last started the run, where the table keeps one.
    let startToken: String?
}

/// The run is no longer this worker's: recovered, reset, cancelled or restarted meanwhile.
public struct RunLost: Error, Sendable, CustomStringConvertible {
    public let id: DatabaseValue
    /// The run's status now, if it still exists.
    public let currentStatus: String?
    /// The step that found the run gone.
    public let during: RunLifecycle.Step

    public var description: String {
        "run \(id.plainText) is no longer this worker's (\(during)): it is \(currentStatus ?? "gone") now"
    }
}

/// A lifecycle step the table mapping cannot support.
public struct LifecycleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
