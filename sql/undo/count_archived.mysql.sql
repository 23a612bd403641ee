-- How many entries of a delete batch an undo would put back: those whose row is in the
-- archive and not back in the table. For undo --dry-run.
--   :batch_id, :target_table, integer_ids  as in archived_journal.sql
SELECT COUNT(*) AS n
FROM task_run_events e
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.operation = 'delete'
  AND EXISTS (SELECT 1 FROM {{archive}} a WHERE a.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}{{#if uuid_ids}}e.run_id{{else}}e.run_id{{/if}}{{/if}})
  AND NOT EXISTS (SELECT 1 FROM {{table}} t WHERE t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}{{#if uuid_ids}}e.run_id{{else}}e.run_id{{/if}}{{/if}})
