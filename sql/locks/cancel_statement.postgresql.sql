-- Stops the statement session :session_id is running, from the lock's own session; the
-- session itself stays. (Migrations do not need it on PostgreSQL: client_connection_check_interval
-- ends the statement of a client that went away, and the transaction rolls back.)
SELECT pg_cancel_backend(CAST(:session_id AS integer)) AS cancelled
