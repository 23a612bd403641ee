-- How many runs have one status value, counted through the (status, finished_at, id) index and
-- at most :cap of them, so the overview of a table of millions costs a bounded read. A count
-- that reaches the cap means "at least :cap".
--   :status  the table's status value
--   :cap     where the count stops
SELECT COUNT(*) AS n FROM (
    SELECT 1 AS one
    FROM {{table}}
    WHERE {{status}} = :status
    LIMIT :cap
) AS capped
