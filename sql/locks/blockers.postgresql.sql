-- The sessions holding a lock that session :id waits for: one row each, none when it waits
-- for nothing. Run from a second session while the first one waits.
SELECT a.pid AS id,
       coalesce(a.usename, '') AS user_name,
       coalesce(a.application_name, '') AS application,
       coalesce(a.state, '') AS state,
       left(coalesce(a.query, ''), 120) AS query
FROM pg_stat_activity AS a
WHERE a.pid = ANY (pg_blocking_pids(CAST(:id AS integer)))
ORDER BY a.pid
