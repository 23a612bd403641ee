-- Runs per status among the table's queued and running values: the watchdog's gauges, every
-- cycle. Only the active statuses, so that the count reads the (status, id) index's small part
-- rather than the whole table; finished totals are `stats`'s.
--   :statuses  the table's values for queued and running
SELECT {{status}} AS status, COUNT(*) AS n
FROM {{table}}
WHERE {{status}} IN (:statuses...)
GROUP BY {{status}}
