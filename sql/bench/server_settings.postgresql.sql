-- The server's settings that decide what a delete costs, printed with the results: durability
-- (fsync, synchronous_commit, full_page_writes), memory (shared_buffers) and checkpoints.
SELECT name, current_setting(name) AS value
FROM pg_settings
WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'wal_level', 'max_wal_size', 'checkpoint_timeout', 'autovacuum')
ORDER BY name
