-- Stops the statement session :session_id is running, from the lock's own session; the
-- session itself stays. A migrator interrupted by SIGINT/SIGTERM runs it before it exits:
-- MySQL does not notice a closed client socket until the statement ends, so without it a
-- long ALTER TABLE would go on running, unobserved, after the process reported its exit.
KILL QUERY :session_id
