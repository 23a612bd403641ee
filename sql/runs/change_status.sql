-- Changes the status of the runs just locked by lock_for_change.sql, re-checking the same
-- condition, so a run that changed meanwhile is never overwritten.
--   :new_status     the table's value for the new status
--   :finished_at    now for a terminal status, NULL when requeueing
--   keep_finished_at  leaves the finish time alone: the runs were already finished, and
--                   their finish time is their purge age
--   :note           why, written to the error (else message) column
--   requeue         clears started_at, heartbeat_at and worker, so the run can start afresh
UPDATE {{table}}
SET {{status}} = :new_status
    {{#has finished_at}}{{#unless keep_finished_at}}, {{finished_at}} = :finished_at{{/unless}}{{/has}}
    {{#has note}}, {{note}} = :note{{/has}}
    {{#if requeue}}, {{started_at}} = NULL{{#has heartbeat_at}}, {{heartbeat_at}} = NULL{{/has}}{{#has worker}}, {{worker}} = NULL{{/has}}{{/if}}
WHERE {{id}} IN (:ids...)
  AND {{status}} IN (:from_statuses...)
  {{#if check_cutoff}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
