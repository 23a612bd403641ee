-- Bounds how long a migration waits for a table lock and how long one statement may run,
-- so a migration stuck behind a long transaction fails instead of queueing every query
-- behind its own lock request. :lock_timeout and :statement_timeout are settings text
-- ('10000' is milliseconds, '0' means no limit); :is_local = 1 scopes them to the
-- current transaction (SET LOCAL), 0 to the session.
--
-- client_connection_check_interval (PostgreSQL 14+) makes the server notice within a second
-- that a migrator was killed mid-statement, and roll its transaction back, instead of
-- holding its locks until the statement ends and blocking the next deploy.
SELECT set_config('lock_timeout', :lock_timeout, :is_local = 1),
       set_config('statement_timeout', :statement_timeout, :is_local = 1),
       CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN set_config('client_connection_check_interval', '1000', :is_local = 1)
       END
