-- Journal entries, oldest first (newest first with newest_first: the dashboard's latest
-- changes, by the primary key): of one batch, since a time, or of one run (`show`, through
-- the (target_table, run_id) index).
SELECT id, target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at
FROM task_run_events
WHERE 1 = 1
  {{#if by_batch}}AND batch_id = :batch_id{{/if}}
  {{#if by_time}}AND created_at >= :since{{/if}}
  {{#if by_run}}AND target_table = :target_table AND run_id = :run_id{{/if}}
ORDER BY id{{#if newest_first}} DESC{{/if}}
LIMIT :limit
