-- Moves a recorded migration to a new state (in_progress -> applied or failed).
UPDATE taskwarden_schema_migrations
SET state = :state, statements_done = :statements_done, error = :error, changed_at = now(),
    execution_ms = :execution_ms, applied_by = :applied_by, tool_version = :tool_version
WHERE migration_set = :migration_set AND version = :version
