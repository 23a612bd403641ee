-- The next batch: up to :limit purgeable rows after the previous batch's last key, in
-- (finished_at, id) order, read from the (status, finished_at, id) index alone. Each batch
-- starts where the last one ended, so no batch re-reads what earlier ones deleted. Returns one
-- row: the batch's ids as a JSON array (for delete_ids.sql), how many, and its last key. Where
-- a dialect has this file and delete_ids.sql, the purge reads the batch, then deletes by id,
-- when rows are neither archived nor exported. (A read: on SQLite it does not take the write
-- lock, so writers waiting for the lock get it between two batches. Building the array here
-- spares decoding 5 000 rows in the client.)
--   :status, :cutoff, after (:after_finished_at, :after_id), by_kind / except_kinds: as in
--   delete_range.sql
WITH batch AS MATERIALIZED (
    SELECT {{finished_at}} AS finished_at, {{id}} AS id
    FROM {{table}}
    WHERE {{status}} = :status
      AND {{finished_at}} < :cutoff
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    ORDER BY {{finished_at}}, {{id}}
    LIMIT :limit
), last AS (
    SELECT finished_at, id FROM batch ORDER BY finished_at DESC, id DESC LIMIT 1
)
SELECT (SELECT json_group_array(id) FROM batch) AS ids_json, (SELECT COUNT(*) FROM batch) AS n,
       (SELECT finished_at FROM last) AS finished_at, (SELECT id FROM last) AS id
