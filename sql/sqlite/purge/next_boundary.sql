-- The key of the last row of the next batch: the :offset-th (batch size minus one) purgeable
-- row after the previous batch, in (finished_at, id) order. Each batch starts where the last
-- one ended, so no batch re-reads the index entries earlier batches deleted: the walk does not
-- slow down as the purge advances. No row means the rest fits in one batch.
--   :status        one of the table's values for a finished status (never queued or running)
--   :cutoff        rows finished before this go (the database's now minus the retention)
--   after          the batch starts after the key (:after_finished_at, :after_id)
--   until          the batch ends at the key (:until_finished_at, :until_id), inclusive
--   by_kind / except_kinds   per-kind retention: only :kind, or every kind but :except_kinds
SELECT {{finished_at}} AS finished_at, {{id}} AS id
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
  {{#until}}AND {{finished_at}} <= :until_finished_at AND ({{finished_at}} < :until_finished_at OR {{id}} <= :until_id){{/until}}
  {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
  {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
ORDER BY {{finished_at}}, {{id}}
LIMIT 1 OFFSET :offset
