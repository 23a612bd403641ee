-- Runs finished in the last day, and of those in the last hour, by status: one read of the
-- rows finished since :day_ago, where two queries would read the last hour's twice.
SELECT {{status}} AS status, COUNT(*) AS last_day,
       COUNT(CASE WHEN {{finished_at}} >= :hour_ago THEN 1 END) AS last_hour
FROM {{table}}
WHERE {{finished_at}} >= :day_ago
GROUP BY {{status}}
