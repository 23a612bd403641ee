-- A sample of the entries of a batch an undo leaves alone in one table: their run moved on
-- (or is gone), with its status now. Read after the undo's pages, and only when some entry was
-- left alone (a dry run reads it instead of restoring): a batch undone whole is not read twice.
--   :batch_id, :target_table, integer_ids  as in journal.sql
--   :limit         at most this many
--   after_undo     the undo has run: an entry whose run it restored (journaled under
--                  :undo_batch_id) was not left alone, whatever its status now
SELECT e.run_id AS run_id, e.new_status AS new_status, t.{{status}} AS current_status
FROM task_run_events e
LEFT JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS INTEGER){{else}}e.run_id{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND (t.{{status}} IS NULL OR t.{{status}} <> e.new_status OR e.old_status IS NULL)
  {{#if after_undo}}AND NOT EXISTS (SELECT 1 FROM task_run_events u
                  WHERE u.target_table = e.target_table AND u.run_id = e.run_id AND u.batch_id = :undo_batch_id){{/if}}
ORDER BY e.id
LIMIT :limit
