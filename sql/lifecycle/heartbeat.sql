-- A sign of life from the worker that holds the run: 0 rows means the run was recovered,
-- reset or restarted meanwhile, and the worker should stop.
--   :started_at  the run's fencing token, as start.sql wrote it
UPDATE {{table}}
SET {{heartbeat_at}} = :now
    {{#if with_progress}}, {{progress}} = :progress{{/if}}
WHERE {{id}} = :id
  AND {{status}} IN (:running_statuses...)
  AND {{started_at}} = :started_at
