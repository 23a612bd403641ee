-- Undo walks a batch's journal entries table by table in pages of ids. With an index on
-- batch_id alone each page read every entry of the batch before keeping its own, so undoing
-- a batch of N runs read N²/page entries; this index gives each page its own range.
-- (One ALTER: MySQL commits each DDL statement on its own.)

-- taskwarden:up
ALTER TABLE task_run_events
    ADD INDEX task_run_events_batch_page_idx (batch_id, target_table, id),
    DROP INDEX task_run_events_batch_idx;

-- taskwarden:down
ALTER TABLE task_run_events
    ADD INDEX task_run_events_batch_idx (batch_id),
    DROP INDEX task_run_events_batch_page_idx;
