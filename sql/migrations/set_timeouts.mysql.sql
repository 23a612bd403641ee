-- Bounds how long a migration's DDL waits for a metadata lock (seconds), so it fails instead
-- of queueing every query on the table behind its own lock request. MySQL has no general
-- statement timeout for DDL; :statement_timeout is ignored here.
SET SESSION lock_wait_timeout = :lock_wait_seconds
