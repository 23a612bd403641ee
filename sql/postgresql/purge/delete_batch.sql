-- One batch in one statement (PostgreSQL only: a data-modifying WITH): the next :limit
-- purgeable rows after the previous batch's last key, deleted by their physical row ids
-- (a TID scan: no second walk through an index), and the batch's last key with the rows it
-- selected and deleted. Where a dialect has this file, the purge uses it instead of
-- next_boundary.sql + delete_range.sql when rows are neither archived nor exported.
--   :status, :cutoff, after (:after_finished_at, :after_id), by_kind / except_kinds: as in
--   delete_range.sql
-- A row updated between the read and the delete (rare for finished runs) keeps its place
-- and is purged by a later run: "deleted" then counts fewer than "selected".
WITH batch AS MATERIALIZED (
    SELECT ctid AS row_id, {{finished_at}} AS finished_at, {{id}} AS id
    FROM {{table}}
    WHERE {{status}} = :status
      AND {{finished_at}} < :cutoff
      {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
      {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
      {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
    ORDER BY {{finished_at}}, {{id}}
    LIMIT :limit
), deleted AS (
    DELETE FROM {{table}}
    WHERE ctid = ANY (ARRAY (SELECT row_id FROM batch))
      AND {{status}} = :status
    RETURNING 1
)
SELECT finished_at, id, (SELECT COUNT(*) FROM batch) AS selected, (SELECT COUNT(*) FROM deleted) AS n
FROM batch
ORDER BY finished_at DESC, id DESC
LIMIT 1
