-- Asks one batch of runs to stop (cancel), after journal.sql journaled it: workers see
-- cancel_requested_at through isCancelRequested. Give not_cancel_requested: a run is asked once.
--   :now                  the database's now, in the table's time format
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
UPDATE {{table}}
SET {{cancel_requested_at}} = :now
{{> bulk/predicate}}
