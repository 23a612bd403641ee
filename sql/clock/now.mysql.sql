-- The database's clock: every age TaskWarden judges (stuck, retention) is measured from it.
-- The session's time_zone is '+00:00', so this is UTC.
SELECT NOW(6) AS now
