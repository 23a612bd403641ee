-- TaskWarden's task table: one row per run of a background job.
-- Statuses: queued -> running -> succeeded | failed | cancelled (recovery may requeue a run).
-- Times are DATETIME(6) in UTC: TaskWarden's sessions run with time_zone = '+00:00'.
-- CHECK constraints are enforced by MariaDB 10.2+ and MySQL 8.0.16+.

-- taskwarden:up
CREATE TABLE task_runs (
    id                  BIGINT       NOT NULL AUTO_INCREMENT,
    kind                VARCHAR(200) NOT NULL,
    queue               VARCHAR(200) NOT NULL DEFAULT 'default',
    status              VARCHAR(16)  NOT NULL DEFAULT 'queued',
    payload             LONGTEXT     NULL,
    progress            DOUBLE       NULL,
    attempt             INT          NOT NULL DEFAULT 0,
    max_attempts        INT          NOT NULL DEFAULT 1,
    worker              VARCHAR(200) NULL,
    error               TEXT         NULL,
    message             TEXT         NULL,
    created_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    scheduled_at        DATETIME(6)  NULL,
    started_at          DATETIME(6)  NULL,
    heartbeat_at        DATETIME(6)  NULL,
    finished_at         DATETIME(6)  NULL,
    cancel_requested_at DATETIME(6)  NULL,
    PRIMARY KEY (id),
    -- Stuck detection: status = 'running' AND COALESCE(heartbeat_at, started_at) < cutoff.
    KEY task_runs_stuck_idx (status, heartbeat_at, started_at),
    -- Retention: status = ? AND finished_at < cutoff, walked in (finished_at, id) order.
    KEY task_runs_retention_idx (status, finished_at, id),
    KEY task_runs_kind_idx (kind, status),
    CONSTRAINT task_runs_status_check
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT task_runs_progress_check CHECK (progress BETWEEN 0 AND 100),
    CONSTRAINT task_runs_attempt_check CHECK (attempt >= 0 AND max_attempts >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- taskwarden:down
DROP TABLE task_runs;
