-- The tables a journal batch changed, with how many entries each and the range of their ids:
-- an undo walks each table's range in pages. The operation tells a delete (put back from its
-- archive) from a change; with_old_status is 1 when the entries have an old status, the runs
-- a change found existing, and 0 for an undo that put deleted runs back (it has none).
-- The counts and ranges come from the (batch_id, target_table, id) index alone; the operation
-- and the old status from each table's first entry, since a batch journals one operation and
-- its entries in a table all have an old status or none. Reading them from every entry
-- fetched each row of the batch: 5.5 s for a million entries on MariaDB.
--   :batch_id  the batch being undone
SELECT b.target_table AS target_table, b.n AS n, b.first_id AS first_id, b.last_id AS last_id,
       f.operation AS operation, CASE WHEN f.old_status IS NULL THEN 0 ELSE 1 END AS with_old_status
FROM (SELECT target_table, COUNT(*) AS n, MIN(id) AS first_id, MAX(id) AS last_id
      FROM task_run_events
      WHERE batch_id = :batch_id
      GROUP BY target_table) AS b
JOIN task_run_events f ON f.id = b.first_id
