-- Partitions an earlier purge detached (mark_detached.sql) but did not drop, being stopped in
-- between: the purge drops them before anything else. Their rows were past retention, checked
-- under the lock, and left the task table when the detach committed.
SELECT n.nspname AS schema_name, c.relname AS name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND NOT c.relispartition
  AND obj_description(c.oid, 'pg_class') = 'taskwarden purge: detached partition, to be dropped'
ORDER BY n.nspname, c.relname
