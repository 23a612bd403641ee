-- Tries once to take the session-level advisory lock :name; never waits inside the server.
-- Waiting would keep a statement (and its snapshot) open, which CREATE INDEX CONCURRENTLY
-- in another session waits for: a second deploy could then deadlock the first.
-- Advisory locks are per database, so two databases on one server never wait for each other.
SELECT pg_try_advisory_lock(hashtextextended(:name, 0)) AS acquired
