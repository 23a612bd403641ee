-- The key of the last row of the next batch: the :offset-th (batch size minus one) purgeable
-- row after the previous batch, in (finished_at, id) order across the walk's statuses. Each
-- batch starts where the last one ended, so no batch re-reads the index entries earlier
-- batches deleted: the walk does not slow down as the purge advances. No row means the rest
-- fits in one batch. (The range walk: used when rows are archived or exported; otherwise
-- the key batches of select_batch.sql.)
-- A walk purges up to three statuses at once (one arm each, the block below repeated per arm),
-- each arm read in order from the
-- (status, finished_at, id) index; SQLite merges the arms of a compound SELECT that are
-- ordered alike, so a batch holds the runs of every status that finished in the same span of
-- time, and each table page is changed by one batch rather than once per status.
--   :arm.status    the arm's status: one of the table's values for a finished status (never
--                  queued or running)
--   :arm.cutoff    the arm's rows finished before this go (the database's now minus the retention)
--   :offset        the batch size minus one
--   after          the batch starts after the key (:after_finished_at, :after_id)
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
-- The key goes back exactly as the table stores it (the next batch's :after_finished_at and
-- delete_range.sql's :until_finished_at): a column declared TIMESTAMP or DATETIME would
-- otherwise come back as a time and be re-sent as TaskWarden's text, and text written by other
-- writers ('2026-01-01 10:00:00' from datetime('now'), isoformat()'s '2026-01-01T10:00:00')
-- compares below its six-digit, or space-separated, spelling: the walk would stop early or
-- never leave a batch. The outer SELECT's unary + keeps the value and its storage class but
-- drops the declared type; the inner query keeps its index-ordered plan.
SELECT +finished_at AS finished_at, id
FROM (
    {{#each arm in arms, joined by UNION ALL}}
    SELECT {{finished_at}} AS finished_at, {{id}} AS id
    FROM {{table}}
    WHERE {{status}} = :arm.status
      AND {{finished_at}} < :arm.cutoff
      {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
      {{#if by_kind}}AND {{kind}} = :kind{{/if}}
      {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
    {{/each}}
    ORDER BY finished_at, id
    LIMIT 1 OFFSET :offset
)
