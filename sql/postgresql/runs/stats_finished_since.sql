-- Runs finished since :since, by status.
SELECT {{status}} AS status, COUNT(*) AS n
FROM {{table}}
WHERE {{finished_at}} >= :since
GROUP BY {{status}}
