-- Deletes one batch: the purgeable rows between the previous batch's last key (exclusive) and
-- this batch's last key (inclusive), through the (status, finished_at, id) index.
--   :status        one of the table's values for a finished status (never queued or running)
--   :cutoff        rows finished before this go (the database's now minus the retention)
--   after          the batch starts after the key (:after_finished_at, :after_id)
--   until          the batch ends at the key (:until_finished_at, :until_id), inclusive
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
DELETE FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
  {{#if until}}AND {{finished_at}} <= :until_finished_at AND ({{finished_at}} < :until_finished_at OR {{id}} <= :until_id){{/if}}
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
