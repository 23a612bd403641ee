-- Runs finished in each of the hours given, for the dashboard's chart: one arm per hour, each an
-- index range read of its own hour (no backend's date functions, so every time format a table
-- maps works alike). `hour` is the arm's position, 1 for the first hour given.
--   :finished_statuses  the table's values for succeeded, failed and cancelled
--   :hour.from          the hour's start, in the table's time format
--   :hour.until         the next hour's start
{{#each hour in hours, joined by UNION ALL}}
SELECT {{hour.number}} AS hour, COUNT(*) AS n
FROM {{table}}
WHERE {{status}} IN (:finished_statuses...)
  AND {{finished_at}} >= :hour.from AND {{finished_at}} < :hour.until
{{/each}}
