-- How many runs a bulk change selects (recover --dry-run, progress estimates).
--   :after_id             with after: only runs after this id
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
SELECT COUNT(*) AS n
FROM {{table}}
{{> bulk/predicate}}
