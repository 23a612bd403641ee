-- Forgets one migration: after it was reverted, or when repair clears a failed state.
DELETE FROM taskwarden_schema_migrations
WHERE migration_set = :migration_set AND version = :version
