-- Locks one page of an undo before journal.mysql.sql reads it: the runs still in the status
-- the batch set (and the page's journal entries).
--   :batch_id      the batch being undone
--   :target_table  the table this statement restores (the task table, or its parent)
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  join uses the table's primary key
--   unix_seconds, unix_milliseconds, text_times, iso_times  the table's time format (none: native)
SELECT COUNT(*) AS n
FROM task_run_events e
JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}e.run_id{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.id > :lower_id AND e.id <= :upper_id
  AND t.{{status}} = e.new_status
FOR UPDATE
