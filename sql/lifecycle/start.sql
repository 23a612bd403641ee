-- A worker takes a queued run: compare-and-set from the queued values, so two workers never
-- both start it. The start time it writes is the run's fencing token: heartbeat and finish
-- match it, so a run recovered or restarted meanwhile is not touched by the old worker.
--   :now     the database's clock
--   :worker  who runs it (when the table has a worker column)
--   :start_token  unique to this call, so that a start whose COMMIT was lost can tell its own
--                 start from another's (when the table has a start_token column)
UPDATE {{table}}
SET {{status}} = :running_status,
    {{started_at}} = :now
    {{#has heartbeat_at}}, {{heartbeat_at}} = :now{{/has}}
    {{#has worker}}, {{worker}} = :worker{{/has}}
    {{#has start_token}}, {{start_token}} = :start_token{{/has}}
    {{#has attempt}}, {{attempt}} = {{attempt}} + 1{{/has}}
    {{#has finished_at}}, {{finished_at}} = NULL{{/has}}
    {{#has cancel_requested_at}}, {{cancel_requested_at}} = NULL{{/has}}
WHERE {{id}} = :id
  AND {{status}} IN (:queued_statuses...)
