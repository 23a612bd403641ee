-- The server's id for this session: what KILL QUERY names (cancel_statement.sql).
SELECT CONNECTION_ID() AS session_id
