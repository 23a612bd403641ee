-- The next batch: up to :limit purgeable rows after the previous batch's last key, in
-- (finished_at, id) order across the walk's statuses, read from the (status, finished_at, id)
-- index alone. Each batch starts where the last one ended, so no batch re-reads what earlier
-- ones deleted. Returns each arm's ids as a JSON array (for delete_ids.sql),
-- how many in all, and the batch's last key. This is the key-batch walk (PurgeStrategy
-- .keyBatches, SQLite's when rows are neither archived nor exported): read the batch, then
-- delete by id. (A read: on SQLite it does not take the write lock, so writers
-- waiting for the lock get it between two batches. Building the arrays here spares decoding
-- 5 000 rows in the client.) One row per arm that has rows in the batch, each with the
-- batch's count and last key; no row when the batch is empty.
-- The arms (one per status value, numbered in the arm column) are merged as in
-- next_boundary.sql, so a batch holds the runs of every status that finished in the same span
-- of time, on the same table pages.
--   :arm.status, :arm.cutoff, after (:after_finished_at, :after_id), by_kind / excluding_kinds: as in
--   next_boundary.sql
-- The last key goes back exactly as stored (+ drops the declared type, which would turn it into
-- a time re-sent in TaskWarden's spelling): see next_boundary.sql.
WITH batch AS MATERIALIZED (
    {{#each arm in arms, joined by UNION ALL}}
    SELECT {{finished_at}} AS finished_at, {{id}} AS id, {{arm.number}} AS arm
    FROM {{table}}
    WHERE {{status}} = :arm.status
      AND {{finished_at}} < :arm.cutoff
      {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
      {{#if by_kind}}AND {{kind}} = :kind{{/if}}
      {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
    {{/each}}
    ORDER BY finished_at, id
    LIMIT :limit
), last AS (
    SELECT finished_at, id FROM batch ORDER BY finished_at DESC, id DESC LIMIT 1
)
SELECT arm, json_group_array(id) AS ids,
       (SELECT COUNT(*) FROM batch) AS n,
       (SELECT +finished_at FROM last) AS finished_at, (SELECT id FROM last) AS id
FROM batch
GROUP BY arm
