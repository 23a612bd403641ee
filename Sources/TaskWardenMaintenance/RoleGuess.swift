import TaskWardenSchema

/// Which column of a table plays which role, guessed from the names applications use.
///
/// Only names that say what they hold count (`started_at`, `date_started`, `updated_at`...):
/// a role no column names is left out, for the proposal to mark as undecided.
struct RoleGuess {
    /// Names each role goes by, most telling first.
    static let candidates: [(TaskTable.Column, [String])] = [
        (.id, ["id", "task_id", "run_id", "job_id"]),
        (.status, ["status", "state", "task_status"]),
        (.kind, ["kind", "task_name", "task_type", "job_type", "type", "name", "platform"]),
        (.queue, ["queue", "queue_name"]),
        (.startedAt, ["started_at", "date_started", "start_time", "started", "begun_at", "date_created", "created_at"]),
        (.heartbeatAt, ["heartbeat_at", "last_heartbeat", "heartbeat", "updated_at", "modified_at", "last_seen_at"]),
        (.finishedAt, ["finished_at", "completed_at", "ended_at", "done_at", "date_done", "end_time", "finished"]),
        (.createdAt, ["created_at", "date_created", "enqueued_at", "inserted_at"]),
        (.error, ["error", "error_message", "traceback", "exception", "failure_reason"]),
        (.message, ["message", "result_message", "output"]),
        (.worker, ["worker", "worker_id", "hostname", "locked_by"]),
        (.attempt, ["attempt", "attempts", "retries", "retry_count"]),
        (.maxAttempts, ["max_attempts", "max_retries"]),
        (.progress, ["progress", "percent", "percentage"]),
        (.cancelRequestedAt, ["cancel_requested_at", "cancelled_at_request"]),
        (.log, ["log", "logs", "output_log", "log_text"]),
    ]

    /// The guessed column of each role (as the table spells it); each column plays one role.
    let columns: [TaskTable.Column: String]

    init(columns names: [String]) {
        let byLowercased = Dictionary(names.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var taken: Set<String> = []
        var guessed: [TaskTable.Column: String] = [:]
        for (role, candidates) in Self.candidates {
            guard let match = candidates.first(where: { byLowercased[$0] != nil && !taken.contains($0) }) else { continue }
            guessed[role] = byLowercased[match]
            taken.insert(match)
        }
        columns = guessed
    }

    /// Columns guessed to hold time, whatever their declared type (SQLite keeps times as text).
    var timeColumns: Set<String> {
        Set(columns.filter { $0.key.holdsTime }.map(\.value))
    }

    /// Status words applications use, by the status they mean.
    static let statusWords: [TaskStatus: Set<String>] = [
        .queued: ["queued", "pending", "waiting", "received", "retry", "scheduled", "new", "enqueued", "available", "retryable"],
        .running: ["running", "started", "in_progress", "processing", "executing", "active", "working"],
        .succeeded: ["succeeded", "success", "completed", "complete", "done", "finished", "ok"],
        .failed: ["failed", "failure", "error", "errored", "discarded", "rejected", "dead"],
        .cancelled: ["cancelled", "canceled", "revoked", "aborted", "stopped", "killed"],
    ]

    /// The status a stored value most likely means, if any.
    static func status(of value: String) -> TaskStatus? {
        let word = value.lowercased()
        return statusWords.first { $0.value.contains(word) }?.key
    }
}
