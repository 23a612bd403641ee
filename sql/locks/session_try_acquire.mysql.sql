-- Tries once to take the named lock :name (timeout 0: never waits inside the server).
-- Returns 1 when taken, 0 when another session holds it.
-- GET_LOCK names are server-wide, while PostgreSQL's advisory locks are per database: the
-- name is scoped to the current database, so two applications sharing one server never wait
-- for each other's lock. Lock names are limited to 64 characters, so the scoped name is
-- hashed: 'tw:' and the SHA-224 of '<database>/<name>' (59 characters). To look the lock up by
-- hand: SELECT IS_USED_LOCK(CONCAT('tw:', SHA2(CONCAT(DATABASE(), '/', 'taskwarden.migrate'), 224)))
-- On a Galera node GET_LOCK holds on that node only, or is refused (error 1235): TaskWarden
-- takes the lease lock there instead (galera_settings.mysql.sql tells).
SELECT GET_LOCK(CONCAT('tw:', SHA2(CONCAT(COALESCE(DATABASE(), ''), '/', :name), 224)), 0) AS acquired
