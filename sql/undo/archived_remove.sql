-- Removes from the archive the rows archived_restore.sql put back, in the same transaction:
-- the rows are moved back, not copied, so that a later delete of the same run archives it once.
--   :undo_batch_id, :target_table, integer_ids  the undo's own entries, as in archived_restore.sql
DELETE FROM {{archive}}
WHERE {{id}} IN (SELECT {{#if integer_ids}}CAST(u.run_id AS BIGINT){{else}}{{#if uuid_ids}}CAST(u.run_id AS uuid){{else}}u.run_id{{/if}}{{/if}} FROM task_run_events u
                 WHERE u.batch_id = :undo_batch_id AND u.target_table = :target_table)
  AND EXISTS (SELECT 1 FROM {{table}} t WHERE t.{{id}} = {{archive}}.{{id}})
