/// A table mapping for a well-known system's own table, selected with `preset:` in the
/// configuration.
///
/// Each is tested against the real system: its tables made by its own migrations, its rows
/// written by its own client, and read back by that client after TaskWarden changed them.
public enum TablePreset: String, Sendable, CaseIterable {
    /// django-celery-results' `django_celery_results_taskresult` (Celery's `django-db` backend).
    case celeryDjango = "celery_django"

    /// The mapping, as the configuration file would spell it. A table's own keys (`name`,
    /// `time_zone`...) override the preset's.
    ///
    /// Celery's states map as: PENDING, RECEIVED and RETRY queued; STARTED running; SUCCESS
    /// succeeded; FAILURE and REJECTED failed; REVOKED cancelled. Celery decodes the `result` of
    /// a FAILURE or REVOKED row as a serialised exception (with the JSON serializer, Celery's
    /// default), so `set_on` writes one: a worker-lost error for failed runs, a revoke for
    /// cancelled ones, with TaskWarden's note as the message and as the traceback.
    /// `date_created` is the start (a STARTED row is created when the task starts, and older
    /// versions have no `date_started`); `date_done` is the finish time, which purges use.
    public var mapping: String {
        switch self {
        case .celeryDjango:
            #"""
            name: django_celery_results_taskresult
            columns: {id: id, status: status, kind: task_name, worker: worker, started_at: date_created, finished_at: date_done, error: traceback}
            statuses:
              queued: [PENDING, RECEIVED, RETRY]
              running: [STARTED]
              succeeded: [SUCCESS]
              failed: [FAILURE, REJECTED]
              cancelled: [REVOKED]
            set_on:
              failed:
                result: '{"exc_type": "WorkerLostError", "exc_message": [{note_json}], "exc_module": "billiard.exceptions"}'
              cancelled:
                result: '{"exc_type": "TaskRevokedError", "exc_message": [{note_json}], "exc_module": "celery.exceptions"}'
            """#
        }
    }
}
