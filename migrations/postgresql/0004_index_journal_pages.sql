-- Undo walks a batch's journal entries table by table in pages of ids. With an index on
-- batch_id alone each page read every entry of the batch before keeping its own, so undoing
-- a batch of N runs read N²/page entries; this index gives each page its own range.

-- taskwarden:up
CREATE INDEX task_run_events_batch_page_idx ON task_run_events (batch_id, target_table, id);
DROP INDEX task_run_events_batch_idx;

-- taskwarden:down
CREATE INDEX task_run_events_batch_idx ON task_run_events (batch_id);
DROP INDEX task_run_events_batch_page_idx;
