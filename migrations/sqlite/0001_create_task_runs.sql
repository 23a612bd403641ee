-- TaskWarden's task table: one row per run of a background job.
-- Statuses: queued -> running -> succeeded | failed | cancelled (recovery may requeue a run).
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS.ffffff', which sorts correctly as text.
-- AUTOINCREMENT keeps ids of purged runs from being reused, so the journal never points
-- at the wrong run.

-- taskwarden:up
CREATE TABLE task_runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                TEXT      NOT NULL,
    queue               TEXT      NOT NULL DEFAULT 'default',
    status              TEXT      NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    payload             TEXT,
    progress            REAL CHECK (progress BETWEEN 0 AND 100),
    attempt             INTEGER   NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts        INTEGER   NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    worker              TEXT,
    error               TEXT,
    message             TEXT,
    created_at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    scheduled_at        TIMESTAMP,
    started_at          TIMESTAMP,
    heartbeat_at        TIMESTAMP,
    finished_at         TIMESTAMP,
    cancel_requested_at TIMESTAMP
);

-- Stuck detection: WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < cutoff.
CREATE INDEX task_runs_stuck_idx ON task_runs (status, heartbeat_at, started_at);

-- Retention: WHERE status = ? AND finished_at < cutoff, walked in (finished_at, id) order.
CREATE INDEX task_runs_retention_idx ON task_runs (status, finished_at, id);

CREATE INDEX task_runs_kind_idx ON task_runs (kind, status);

-- taskwarden:down
DROP TABLE task_runs;
