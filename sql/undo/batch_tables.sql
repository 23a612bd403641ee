-- The tables a journal batch changed, with how many entries each and the range of their ids:
-- an undo walks each table's range in pages. The operation tells a delete (put back from its
-- archive) from a change; entries with an old status count the runs a change found existing
-- (an undo that put deleted runs back has none).
--   :batch_id  the batch being undone
SELECT target_table, COUNT(*) AS n, MIN(id) AS first_id, MAX(id) AS last_id, MAX(operation) AS operation,
       COUNT(old_status) AS with_old_status
FROM task_run_events
WHERE batch_id = :batch_id
GROUP BY target_table
