-- The history of one migration set, oldest first.
-- :migration_set  the set's name ('taskwarden' for the built-in task tables)
SELECT version, name, checksum, state, statements_done, error, changed_at, execution_ms, applied_by, tool_version
FROM taskwarden_schema_migrations
WHERE migration_set = :migration_set
ORDER BY version
