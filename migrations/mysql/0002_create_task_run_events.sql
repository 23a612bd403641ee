-- The journal of maintenance operations: every status TaskWarden changes (recover, reset,
-- undo, cancel) is written here in the same transaction as the change itself.
-- target_table names the task table, so one journal serves mapped tables too; run_id is
-- text so that tables with text ids (UUIDs) fit. old_values holds, as a JSON object, the
-- other columns the operation changed (finished_at, error, ...), so that undo restores them.

-- taskwarden:up
CREATE TABLE task_run_events (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    target_table VARCHAR(200) NOT NULL DEFAULT 'task_runs',
    run_id       VARCHAR(100) NOT NULL,
    operation    VARCHAR(32)  NOT NULL,
    old_status   VARCHAR(64)  NULL,
    new_status   VARCHAR(64)  NULL,
    batch_id     VARCHAR(64)  NOT NULL,
    reason       TEXT         NULL,
    old_values   TEXT         NULL,
    actor        VARCHAR(200) NOT NULL,
    created_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    KEY task_run_events_batch_idx (batch_id),
    KEY task_run_events_run_idx (target_table, run_id),
    KEY task_run_events_created_idx (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- taskwarden:down
DROP TABLE task_run_events;
