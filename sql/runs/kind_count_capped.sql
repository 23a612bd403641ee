-- How many runs have one of these kinds, counted at most up to :cap through the (kind, status)
-- index: whether a list filtered by kind should read the kind's runs and sort them (few) or
-- walk the table newest first until a page is full (many). A count that reaches the cap means
-- "at least :cap".
--   :kinds  the kinds asked for
--   :cap    where the count stops
SELECT COUNT(*) AS n FROM (
    SELECT 1 AS one
    FROM {{table}}
    WHERE {{kind}} IN (:kinds...)
    LIMIT :cap
) AS capped
