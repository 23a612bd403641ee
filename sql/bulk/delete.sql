-- Deletes one batch of a delete, after journal.sql journaled it (and archive.sql or
-- select_rows.sql copied it), re-checking the same predicate in the same transaction: only
-- runs still in one of :from_statuses (the table's finished values) go, so a run requeued
-- since the preview stays. The batch is rolled back if the count differs from the journal's.
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
DELETE FROM {{table}}
{{> bulk/predicate}}
