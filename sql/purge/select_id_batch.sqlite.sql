-- The next batch of the primary-key walk (PurgeOrder.primaryKey) on SQLite, read before the
-- write transaction: the next :span rows (purgeable or not) after :after_id in rowid order, cut
-- after the :limit-th purgeable one, and the ids of each arm's purgeable rows in that range as
-- a JSON array per arm (for delete_ids.sql, which deletes them in a short write transaction and
-- checks status, age and kind again, so that a run requeued in between stays).
-- delete_id_range.sql deletes a whole range inside the write transaction, reading every row
-- of it there while the table's other writers wait (SQLite has one writer at a time); here
-- the range is read once by a plain read, which keeps no writer waiting, and the write
-- transaction only looks its rows up by rowid. Building the arrays here spares decoding every
-- row of the range in the client.
-- Returns one row with arm 0: the range's last id and whether the table goes on after it
-- (more: the range was cut, or holds all :span rows); then one row per arm with purgeable
-- rows in the range, with their ids and count. No row with an id: the walk is at the end.
--   :span      rows read at most (the purger sizes it to hold about :limit purgeable rows)
--   :limit     purgeable rows in the batch at most (the purger sizes it so that the write
--              transaction stays short)
--   after      the range starts after :after_id
--   :arm.status, :arm.cutoff   one element per status of the walk, as in next_boundary.sql
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
WITH range AS MATERIALIZED (
    SELECT {{id}} AS id,
           CASE
               {{#if by_kind}}WHEN {{kind}} IS NOT :kind THEN 0{{/if}}
               {{#if excluding_kinds}}WHEN {{kind}} IN (:except_kinds...) THEN 0{{/if}}
               {{#each arm in arms}}
               WHEN {{status}} = :arm.status AND {{finished_at}} < :arm.cutoff THEN {{arm.number}}
               {{/each}}
               ELSE 0
           END AS arm
    FROM {{table}}
    {{#if after}}WHERE {{id}} > :after_id{{/if}}
    ORDER BY {{id}}
    LIMIT :span
), batch AS MATERIALIZED (
    SELECT id, arm
    FROM range
    WHERE id <= coalesce(
        (SELECT id FROM range WHERE arm > 0 ORDER BY id LIMIT 1 OFFSET :limit - 1),
        (SELECT MAX(id) FROM range))
)
SELECT 0 AS arm, NULL AS ids, COUNT(*) AS n, MAX(id) AS id,
       (SELECT COUNT(*) FROM range) = :span OR MAX(id) < (SELECT MAX(id) FROM range) AS more
FROM batch
UNION ALL
SELECT arm, json_group_array(id) AS ids, COUNT(*) AS n, NULL AS id, NULL AS more
FROM batch
WHERE arm > 0
GROUP BY arm
