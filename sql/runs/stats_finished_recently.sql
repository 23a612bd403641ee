-- Runs finished in the last day, and of those in the last hour, by status: one read of the
-- rows finished since :day_ago, where two queries would read the last hour's twice.
-- Only finished statuses count: some writers set the finish column on every save (Django's
-- auto_now on date_done), so queued and running runs can carry a recent one.
--   :finished_statuses  the table's values for succeeded, failed and cancelled
SELECT {{status}} AS status, COUNT(*) AS last_day,
       COUNT(CASE WHEN {{finished_at}} >= :hour_ago THEN 1 END) AS last_hour
FROM {{table}}
WHERE {{status}} IN (:finished_statuses...)
  AND {{finished_at}} >= :day_ago
GROUP BY {{status}}
