-- Nothing to set on PostgreSQL: READ COMMITTED is the default and takes no gap locks.
SELECT 1 AS nothing_to_set
