-- One journal entry: a status TaskWarden changed, written in the same transaction as the change.
--   :target_table  the table the run is in
--   :run_id        the run's id, as text
--   :operation     recover, reset, undo or cancel
--   :old_values    JSON object of the other columns the change overwrote, for undo
--   :actor         who: the OS user, or --actor
INSERT INTO task_run_events
    (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at)
VALUES
    (:target_table, :run_id, :operation, :old_status, :new_status, :batch_id, :reason, :old_values, :actor, now())
