-- The distinct status values in one partition, read through the (status, ...) index one value
-- at a time (a loose index scan), so the answer costs a few index probes, not a scan of the
-- partition. A partition holding a status the purge does not remove is kept.
WITH RECURSIVE present(status) AS (
    (SELECT {{status}} FROM {{partition}} WHERE {{status}} IS NOT NULL ORDER BY {{status}} LIMIT 1)
    UNION ALL
    SELECT (SELECT {{status}} FROM {{partition}} WHERE {{status}} > present.status ORDER BY {{status}} LIMIT 1)
    FROM present
    WHERE present.status IS NOT NULL
)
SELECT status FROM present WHERE status IS NOT NULL
