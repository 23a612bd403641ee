-- The connection's page cache size and sync level before the purge changes them (session.sql,
-- relaxed_sync.sql), so that the purge puts them back when it ends: the connection is the
-- caller's, and may go on working.
SELECT c.cache_size AS previous, s.synchronous AS synchronous FROM pragma_cache_size() AS c, pragma_synchronous() AS s
