-- How many entries of a batch an undo would restore in one table: those whose run still has
-- the status the batch set. For undo --dry-run.
--   :batch_id, :target_table, integer_ids, uuid_ids  as in journal.sql
SELECT COUNT(*) AS n
FROM task_run_events e
JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS BIGINT){{else}}{{#if uuid_ids}}CAST(e.run_id AS uuid){{else}}e.run_id{{/if}}{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND t.{{status}} = e.new_status
  AND e.old_status IS NOT NULL
