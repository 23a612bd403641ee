-- The connection's page cache size before the purge changes it (session.sql), so that the
-- purge puts it back when it ends: the connection is the caller's, and may go on working.
SELECT cache_size AS previous FROM pragma_cache_size()
