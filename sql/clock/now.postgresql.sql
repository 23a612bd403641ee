-- The database's clock: every age TaskWarden judges (stuck, retention) is measured from it.
SELECT now() AS now
