-- The rows of one batch of a delete, whole, for --export, read in the transaction that deletes
-- them (same predicate). The batch's rows are locked already (journal.postgresql.sql's FOR
-- UPDATE, lock.mysql.sql, SQLite's BEGIN IMMEDIATE); a row that started to qualify since the
-- journal makes the counts differ, and the batch is rolled back and run again.
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
SELECT *
FROM {{table}}
{{> bulk/predicate}}
ORDER BY {{id}}
