-- How many runs the table holds, counted at most up to :cap: whether it is small enough for the
-- overview's exact counts, at a bounded cost (SQLite, which keeps no row estimate outside
-- ANALYZE's sqlite_stat1). A count that reaches the cap means "at least :cap".
--   :cap  where the count stops
SELECT COUNT(*) AS n FROM (
    SELECT 1 AS one
    FROM {{table}}
    LIMIT :cap
) AS capped
