-- Copies one batch of a delete into the archive table, in the transaction that deletes it,
-- after journal.sql journaled it and before delete.sql deletes it (same predicate): every
-- deleted row lands in the archive exactly once. create_archive (sql/purge) makes the table.
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
INSERT INTO {{archive}}
SELECT *
FROM {{table}}
{{> bulk/predicate}}
