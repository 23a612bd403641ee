-- Tries once to take the named lock :name (timeout 0: never waits inside the server).
-- Returns 1 when taken, 0 when another session holds it.
-- Galera clusters refuse GET_LOCK (error 1235): use the lease lock there.
SELECT GET_LOCK(:name, 0) AS acquired
