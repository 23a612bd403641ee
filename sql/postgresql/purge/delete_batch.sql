-- One batch in one statement (PostgreSQL only: a data-modifying WITH): the next :limit
-- purgeable rows after the previous batch's last key, deleted, and the new last key with
-- the number of rows returned. Where a dialect has this file, the purge uses it instead of
-- next_boundary.sql + delete_range.sql when rows are neither archived nor exported.
--   :status, :cutoff, after (:after_finished_at, :after_id), by_kind / except_kinds: as in
--   delete_range.sql
WITH batch AS (
    SELECT {{id}} AS id
    FROM {{table}}
    WHERE {{status}} = :status
      AND {{finished_at}} < :cutoff
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    ORDER BY {{finished_at}}, {{id}}
    LIMIT :limit
), deleted AS (
    DELETE FROM {{table}} AS purged
    USING batch
    WHERE purged.{{id}} = batch.id
      AND purged.{{status}} = :status
    RETURNING purged.{{finished_at}} AS finished_at, purged.{{id}} AS id
)
SELECT finished_at, id, COUNT(*) OVER () AS n
FROM deleted
ORDER BY finished_at DESC, id DESC
LIMIT 1
