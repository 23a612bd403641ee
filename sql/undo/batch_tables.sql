-- The tables a journal batch changed, with how many entries each and the range of their ids:
-- an undo walks each table's range in pages.
--   :batch_id  the batch being undone
SELECT target_table, COUNT(*) AS n, MIN(id) AS first_id, MAX(id) AS last_id
FROM task_run_events
WHERE batch_id = :batch_id
GROUP BY target_table
