-- The key of the last row of the next batch: the :offset-th (batch size minus one) purgeable
-- row after the previous batch, in (finished_at, id) order across the walk's statuses. Each
-- batch starts where the last one ended, so no batch re-reads the index entries earlier
-- batches deleted: the walk does not slow down as the purge advances. No row means the rest
-- fits in one batch.
-- A walk purges up to three statuses at once (one arm each: succeeded, failed, cancelled, each
-- with its own cutoff; the block below is written once and repeated per arm). Each arm reads its status's keys in order from the
-- (status, finished_at, id) index and the arms are merged, so a batch holds the runs of every
-- status that finished in the same span of time. Those sit on the same table pages: each page
-- is changed by one batch, not once per status (measured on PostgreSQL, 2 M rows, each batch
-- committed: 15 % less server time than one walk per status).
-- MySQL materializes the union (at most three batches of keys) before it sorts: the arms' LIMIT
-- keeps that bounded. (SQLite has a form of its own: next_boundary.sqlite.sql.)
--   :arm.status    the arm's status: one of the table's values for a finished status (never
--                  queued or running)
--   :arm.cutoff    the arm's rows finished before this go (the database's now minus the retention)
--   :limit         the batch size (no arm needs more); :offset, the batch size minus one
--   after          the batch starts after the key (:after_finished_at, :after_id)
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
SELECT finished_at, id FROM (
    {{#each arm in arms, joined by UNION ALL}}
    (SELECT {{finished_at}} AS finished_at, {{id}} AS id
     FROM {{table}}
     WHERE {{status}} = :arm.status
       AND {{finished_at}} < :arm.cutoff
       {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
       {{#if by_kind}}AND {{kind}} = :kind{{/if}}
       {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
     ORDER BY {{finished_at}}, {{id}}
     LIMIT :limit)
    {{/each}}
) AS arms
ORDER BY finished_at, id
LIMIT 1 OFFSET :offset
