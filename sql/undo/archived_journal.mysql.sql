-- Journals one page of the undo of a delete, before archived_restore.sql puts the rows back:
-- for each entry of the batch whose row is in the archive and not (yet) back in the table, an
-- 'undo' entry under the undo's own batch, with no old status (the run did not exist) and the
-- deleted status as the new one. A row already back is left alone, so an undo run twice
-- restores nothing twice.
--   :batch_id      the delete batch being undone
--   :target_table  the task table
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  lookups use the tables' ids
--   uuid_ids       PostgreSQL's uuid ids; MySQL has no uuid type (Django stores char(32)): text as is
--   :undo_batch_id, :reason, :actor  the undo's own journal entries
--   archive        (a name) the archive table the delete moved the rows into, from its entries' old_values
INSERT INTO task_run_events (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor)
SELECT e.target_table, e.run_id, 'undo', NULL, e.old_status, :undo_batch_id, :reason, e.old_values, :actor
FROM task_run_events e
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.operation = 'delete'
  AND EXISTS (SELECT 1 FROM {{archive}} a WHERE a.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}{{#if uuid_ids}}e.run_id{{else}}e.run_id{{/if}}{{/if}})
  AND NOT EXISTS (SELECT 1 FROM {{table}} t WHERE t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}{{#if uuid_ids}}e.run_id{{else}}e.run_id{{/if}}{{/if}})
  AND e.id > :lower_id AND e.id <= :upper_id
ORDER BY e.id
