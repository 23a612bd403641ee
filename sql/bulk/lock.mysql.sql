-- Locks one batch of a bulk change before journal.mysql.sql reads it: every row of the range
-- that still qualifies. A worker finishing one of them waits for this transaction, or this
-- read waits for the worker's, which then no longer qualifies. (PostgreSQL's journal statement
-- locks by itself; SQLite's transaction holds the write lock.)
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
SELECT COUNT(*) AS n
FROM {{table}}
{{> bulk/predicate}}
FOR UPDATE
