-- The latest journal batches, newest first: one row per batch, with its operation, actor and
-- reason (the same on every entry of a batch), how many entries it has and when it started.
-- Only the latest :window entries are read, by the primary key, so the listing costs the same
-- on a journal of millions; a batch reaching further back is counted by the entries inside.
--   :window         how many of the latest entries are read
--   :target_tables  the tables whose batches are listed (the task table, and its parent)
--   :limit          how many batches
SELECT batch_id, MIN(operation) AS operation, MIN(actor) AS actor, MIN(reason) AS reason,
       COUNT(*) AS n, MIN(created_at) AS first_at, MAX(id) AS last_id
FROM task_run_events
WHERE id > (SELECT COALESCE(MAX(id), 0) FROM task_run_events) - :window
  AND target_table IN (:target_tables...)
GROUP BY batch_id
ORDER BY last_id DESC
LIMIT :limit
