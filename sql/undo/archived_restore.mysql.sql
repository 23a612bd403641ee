-- Puts back the rows of one page of the undo of a delete, after archived_journal.sql journaled
-- them: the archive's rows whose run the undo batch journaled and that are not in the table.
-- The archive has the table's columns in its order (create_archive copies them).
--   :undo_batch_id, :target_table  the undo's own entries, as archived_journal.sql wrote them
INSERT INTO {{table}}
SELECT a.*
FROM {{archive}} a
WHERE EXISTS (SELECT 1 FROM task_run_events u
              WHERE u.batch_id = :undo_batch_id AND u.target_table = :target_table AND u.run_id = CAST(a.{{id}} AS CHAR))
  AND NOT EXISTS (SELECT 1 FROM {{table}} t WHERE t.{{id}} = a.{{id}})
