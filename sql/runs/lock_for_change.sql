-- Reads, and locks, the runs about to change, inside the change's transaction: only rows
-- that still qualify come back. A run a worker finished a moment ago no longer has a
-- :from_statuses value; one that sent a heartbeat is no longer older than :cutoff.
-- FOR UPDATE makes a worker's concurrent finish or heartbeat wait for this transaction,
-- or this read wait for the worker's: either way the update below sees the latest row.
--   :ids            the candidate runs
--   :from_statuses  the table's values the runs must still have
--   :cutoff         with check_cutoff only: the last sign of life must still be older
SELECT {{id}} AS id,
       {{status}} AS status
       {{#has finished_at}}, {{finished_at}} AS finished_at{{/has}}
       {{#has note}}, {{note}} AS note{{/has}}
       {{#has started_at}}, {{started_at}} AS started_at{{/has}}
       {{#has heartbeat_at}}, {{heartbeat_at}} AS heartbeat_at{{/has}}
       {{#has worker}}, {{worker}} AS worker{{/has}}
       {{#has attempt}}, {{attempt}} AS attempt{{/has}}
       {{#has max_attempts}}, {{max_attempts}} AS max_attempts{{/has}}
       {{#has parent_key}}, {{parent_key}} AS parent_key{{/has}}
       {{#has cancel_requested_at}}, {{cancel_requested_at}} AS cancel_requested_at{{/has}}
FROM {{table}}
WHERE {{id}} IN (:ids...)
  AND {{status}} IN (:from_statuses...)
  {{#if check_cutoff}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
FOR UPDATE
