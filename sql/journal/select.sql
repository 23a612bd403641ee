-- Journal entries, oldest first (newest first with newest_first: the dashboard's latest
-- changes, by the primary key): of one batch, since a time, or of one run (`show`, through
-- the (target_table, run_id) index; by_run comes with by_table). A page starts after the last
-- id of the one before; a batch is paged one table at a time, through the (batch_id,
-- target_table, id) index, so a batch of a million entries streams in pages of constant cost.
SELECT id, target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at
FROM task_run_events
WHERE 1 = 1
  {{#if by_batch}}AND batch_id = :batch_id{{/if}}
  {{#if by_time}}AND created_at >= :since{{/if}}
  {{#if by_table}}AND target_table = :target_table{{/if}}
  {{#if by_run}}AND run_id = :run_id{{/if}}
  {{#if paged}}AND id > :after_id{{/if}}
ORDER BY id{{#if newest_first}} DESC{{/if}}
LIMIT :limit
