-- The next batch of a bulk change, walking the table in id order: how many runs qualify after
-- :after_id, up to :limit, and the last id among them. Only that id travels: the batch's
-- statements take the runs in (after_id, upper_id] by the same predicate. The last id is the
-- batch's last row rather than MAX(id): PostgreSQL has no max() of a uuid (django-tasks' ids).
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
--   :limit                the batch size
SELECT COUNT(*) OVER () AS n, id AS upper_id
FROM (
    SELECT {{id}} AS id
    FROM {{table}}
    {{> bulk/predicate}}
    ORDER BY {{id}}
    LIMIT :limit
) AS batch
ORDER BY id DESC
LIMIT 1
