-- Reads, and locks, the runs about to change, inside the change's transaction: only rows
-- that still qualify come back. A run a worker finished a moment ago no longer has a
-- :from_statuses value; one that sent a heartbeat is no longer older than :cutoff.
-- SQLite has no row locks: the caller's BEGIN IMMEDIATE holds the database's write lock,
-- so nothing changes these rows between this read and the update.
--   :ids            the candidate runs
--   :from_statuses  the table's values the runs must still have
--   :cutoff         with check_cutoff only: the last sign of life must still be older
SELECT {{id}} AS id,
       {{status}} AS status
       {{#finished_at}}, {{finished_at}} AS finished_at{{/finished_at}}
       {{#note}}, {{note}} AS note{{/note}}
       {{#started_at}}, {{started_at}} AS started_at{{/started_at}}
       {{#heartbeat_at}}, {{heartbeat_at}} AS heartbeat_at{{/heartbeat_at}}
       {{#worker}}, {{worker}} AS worker{{/worker}}
       {{#attempt}}, {{attempt}} AS attempt{{/attempt}}
       {{#max_attempts}}, {{max_attempts}} AS max_attempts{{/max_attempts}}
       {{#parent_key}}, {{parent_key}} AS parent_key{{/parent_key}}
       {{#cancel_requested_at}}, {{cancel_requested_at}} AS cancel_requested_at{{/cancel_requested_at}}
FROM {{table}}
WHERE {{id}} IN (:ids)
  AND {{status}} IN (:from_statuses)
  {{#check_cutoff}}AND {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}} < :cutoff{{/check_cutoff}}
