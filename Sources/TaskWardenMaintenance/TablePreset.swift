/// A table mapping for a well-known system's own table, selected with `preset:` in the
/// configuration.
///
/// Each is tested against the real system: its tables made by its own migrations, its rows
/// written by its own client, and read back by that client after TaskWarden changed them.
public enum TablePreset: String, Sendable, CaseIterable {
    /// django-celery-results' `django_celery_results_taskresult` (Celery's `django-db` backend).
    case celeryDjango = "celery_django"
    /// Celery's own database backend (`result_backend = 'db+...'`, SQLAlchemy): `celery_taskmeta`.
    case celeryTaskmeta = "celery_taskmeta"
    /// The same with `result_extended = True`: the task's name, worker and queue as well.
    case celeryTaskmetaExtended = "celery_taskmeta_extended"
    /// django-tasks' database backend (`django_tasks_db`, Django's tasks framework):
    /// `django_tasks_database_dbtaskresult`.
    case djangoTasks = "django_tasks"

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
    ///
    /// `celery_taskmeta` keeps one time, `date_done`, both start and finish: Celery since 4.4
    /// stores a STARTED row with `date_done` empty (it writes every column from the state's
    /// meta, and a state that is not ready has no date), so such a row has no age `stuck` could
    /// judge; a FAILURE or REVOKED row TaskWarden writes gets `date_done` now, which purges
    /// use. `result` is binary (`LargeBinary` since Celery 5.7, `PickleType` before), so the
    /// exception is written as a Python pickle of the JSON object: Celery before 5.7 unpickles
    /// it as its column type does, 5.7 and later read it through their fallback for pickled
    /// rows.
    ///
    /// `django_tasks` maps READY queued, RUNNING, SUCCESSFUL, FAILED; the framework has no
    /// cancelled state, so it is declared missing. `task_path` is the kind, `queue_name` the
    /// queue, `started_at` and `finished_at` are its own, `traceback` takes the note. A failed
    /// run needs an exception class Django can import (`TaskError.exception_class`), so
    /// `set_on` writes `builtins.RuntimeError`. `worker_ids` is a JSON list and stays unmapped.
    public var mapping: String {
        switch self {
        case .celeryDjango:
            "name: django_celery_results_taskresult\n"
                + "columns: {id: id, status: status, kind: task_name, worker: worker, started_at: date_created, finished_at: date_done, error: traceback}\n"
                + Self.celeryStates(result: { "'\($0)'" })
        case .celeryTaskmeta, .celeryTaskmetaExtended:
            "name: celery_taskmeta\n"
                + "columns: {id: id, status: status, started_at: date_done, finished_at: date_done, error: traceback"
                + (self == .celeryTaskmetaExtended ? ", kind: name, worker: worker, queue: queue}\n" : "}\n")
                + Self.celeryStates(result: { "{encoding: python_pickle, value: '\($0)'}" })
        case .djangoTasks:
            #"""
            name: django_tasks_database_dbtaskresult
            columns: {id: id, status: status, kind: task_path, queue: queue_name, started_at: started_at, finished_at: finished_at, error: traceback}
            statuses:
              queued: [READY]
              running: [RUNNING]
              succeeded: [SUCCESSFUL]
              failed: [FAILED]
            missing_statuses: [cancelled]
            set_on:
              failed:
                exception_class_path: builtins.RuntimeError
            """#
        }
    }

    /// Celery's states, and the `result` Celery reads as the exception of a FAILURE (a lost
    /// worker) or a REVOKED row (the revoke), as JSON that `result` spells as its column needs.
    private static func celeryStates(result: (String) -> String) -> String {
        let lost = #"{"exc_type": "WorkerLostError", "exc_message": [{note_json}], "exc_module": "billiard.exceptions"}"#
        let revoked = #"{"exc_type": "TaskRevokedError", "exc_message": [{note_json}], "exc_module": "celery.exceptions"}"#
        return """
            statuses:
              queued: [PENDING, RECEIVED, RETRY]
              running: [STARTED]
              succeeded: [SUCCESS]
              failed: [FAILURE, REJECTED]
              cancelled: [REVOKED]
            set_on:
              failed:
                result: \(result(lost))
              cancelled:
                result: \(result(revoked))

            """
    }
}
