-- A sample of the entries of a batch an undo leaves alone in one table: their run moved on
-- (or is gone), with its status now.
--   :batch_id, :target_table, integer_ids, uuid_ids  as in journal.sql
--   :limit         at most this many
SELECT e.run_id AS run_id, e.new_status AS new_status, t.{{status}} AS current_status
FROM task_run_events e
LEFT JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS BIGINT){{else}}{{#if uuid_ids}}CAST(e.run_id AS uuid){{else}}e.run_id{{/if}}{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND (t.{{status}} IS NULL OR t.{{status}} <> e.new_status OR e.old_status IS NULL)
ORDER BY e.id
LIMIT :limit
