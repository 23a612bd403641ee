-- How many of :ids still exist: after an interrupted export, tells whether the batch's delete
-- committed (none left) or not (all still there).
SELECT COUNT(*) AS n FROM {{table}} WHERE {{id}} IN (:ids...)
