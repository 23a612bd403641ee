-- The parents of one batch's runs (a mapped parent table follows its children), read after
-- the batch is journaled and locked and before it changes.
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
SELECT DISTINCT {{parent_key}} AS parent_key
FROM {{table}}
{{> bulk/predicate}}
  AND {{parent_key}} IS NOT NULL
