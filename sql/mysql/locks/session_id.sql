-- This session's id, as other sessions see it in the process list.
SELECT CONNECTION_ID() AS id
