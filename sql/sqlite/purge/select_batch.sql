-- The keys of the next batch: up to :limit purgeable rows after the previous batch's last key,
-- in (finished_at, id) order, read from the (status, finished_at, id) index alone. Each batch
-- starts where the last one ended, so no batch re-reads what earlier ones deleted. Where a
-- dialect has this file and delete_ids.sql, the purge reads the keys, then deletes by id, when
-- rows are neither archived nor exported. (A read: on SQLite it does not take the write lock,
-- so writers waiting for the lock get it between two batches.)
--   :status, :cutoff, after (:after_finished_at, :after_id), by_kind / except_kinds: as in
--   delete_range.sql
SELECT {{finished_at}} AS finished_at, {{id}} AS id
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
  {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
  {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
ORDER BY {{finished_at}}, {{id}}
LIMIT :limit
