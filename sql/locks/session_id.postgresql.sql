-- The server's id for this session: what pg_cancel_backend names (cancel_statement.sql).
SELECT pg_backend_pid() AS session_id
