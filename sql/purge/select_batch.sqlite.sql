-- The next batch: up to :limit purgeable rows after the previous batch's last key, in
-- (finished_at, id) order across the walk's statuses, read from the (status, finished_at, id)
-- index alone. Each batch starts where the last one ended, so no batch re-reads what earlier
-- ones deleted. Returns one row: each arm's ids as a JSON array (ids_N, for delete_ids.sql),
-- how many in all, and the batch's last key. Where a dialect has this file and
-- delete_ids.sql, the purge reads the batch, then deletes by id, when rows are neither
-- archived nor exported. (A read: on SQLite it does not take the write lock, so writers
-- waiting for the lock get it between two batches. Building the arrays here spares decoding
-- 5 000 rows in the client.)
-- The arms (arm1..arm3, one per status) are merged as in next_boundary.sql, so a batch holds
-- the runs of every status that finished in the same span of time, on the same table pages.
--   :status_N, :cutoff_N, after (:after_finished_at, :after_id), by_kind / except_kinds: as in
--   next_boundary.sql
-- The last key goes back exactly as stored (+ drops the declared type, which would turn it into
-- a time re-sent in TaskWarden's spelling): see next_boundary.sql.
WITH batch AS MATERIALIZED (
    SELECT {{finished_at}} AS finished_at, {{id}} AS id, 1 AS arm
    FROM {{table}}
    WHERE {{status}} = :status_1
      AND {{finished_at}} < :cutoff_1
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    {{#arm2}}
    UNION ALL
    SELECT {{finished_at}}, {{id}}, 2
    FROM {{table}}
    WHERE {{status}} = :status_2
      AND {{finished_at}} < :cutoff_2
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    {{/arm2}}
    {{#arm3}}
    UNION ALL
    SELECT {{finished_at}}, {{id}}, 3
    FROM {{table}}
    WHERE {{status}} = :status_3
      AND {{finished_at}} < :cutoff_3
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    {{/arm3}}
    ORDER BY finished_at, id
    LIMIT :limit
), last AS (
    SELECT finished_at, id FROM batch ORDER BY finished_at DESC, id DESC LIMIT 1
)
SELECT (SELECT json_group_array(id) FROM batch WHERE arm = 1) AS ids_1,
       (SELECT json_group_array(id) FROM batch WHERE arm = 2) AS ids_2,
       (SELECT json_group_array(id) FROM batch WHERE arm = 3) AS ids_3,
       (SELECT COUNT(*) FROM batch) AS n,
       (SELECT +finished_at FROM last) AS finished_at, (SELECT id FROM last) AS id
