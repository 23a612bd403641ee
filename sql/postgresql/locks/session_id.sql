-- This session's id, as other sessions see it in pg_stat_activity and pg_locks.
SELECT pg_backend_pid() AS id
