-- How many runs have each status value, for doctor to name the values the mapping does not
-- know (Celery's RETRY, a custom state): runs with them are never recovered or purged.
SELECT {{status}} AS status, COUNT(*) AS n
FROM {{table}}
GROUP BY {{status}}
