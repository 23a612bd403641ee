-- The journal of maintenance operations: every status TaskWarden changes (recover, reset,
-- undo, cancel) is written here in the same transaction as the change itself.
-- target_table names the task table, so one journal serves mapped tables too; run_id is
-- text so that tables with text ids (UUIDs) fit. old_values holds, as a JSON object, the
-- other columns the operation changed (finished_at, error, ...), so that undo restores them.

-- taskwarden:up
CREATE TABLE task_run_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    target_table TEXT      NOT NULL DEFAULT 'task_runs',
    run_id       TEXT      NOT NULL,
    operation    TEXT      NOT NULL,
    old_status   TEXT,
    new_status   TEXT,
    batch_id     TEXT      NOT NULL,
    reason       TEXT,
    old_values   TEXT,
    actor        TEXT      NOT NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now'))
);

CREATE INDEX task_run_events_batch_idx ON task_run_events (batch_id);
CREATE INDEX task_run_events_run_idx ON task_run_events (target_table, run_id);
CREATE INDEX task_run_events_created_idx ON task_run_events (created_at);

-- taskwarden:down
DROP TABLE task_run_events;
