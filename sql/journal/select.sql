-- Journal entries, oldest first: of one batch, or since a time.
SELECT id, target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at
FROM task_run_events
WHERE 1 = 1
  {{#if by_batch}}AND batch_id = :batch_id{{/if}}
  {{#if by_time}}AND created_at >= :since{{/if}}
ORDER BY id
LIMIT :limit
