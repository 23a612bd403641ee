-- Asks runs to stop: workers see cancel_requested_at through isCancelRequested and stop
-- gracefully. Only queued and running runs, and only once.
UPDATE {{table}}
SET {{cancel_requested_at}} = :now
WHERE {{id}} IN (:ids...)
  AND {{status}} IN (:active_statuses...)
  AND {{cancel_requested_at}} IS NULL
