-- Records a migration's state: in_progress before a migration that runs outside a
-- transaction, applied or baseline after success, failed after an error.
-- :migration_set, :version, :name, :checksum, :state, :statements_done, :error,
-- :execution_ms, :applied_by (host name), :tool_version
INSERT INTO taskwarden_schema_migrations
    (migration_set, version, name, checksum, state, statements_done, error, changed_at,
     execution_ms, applied_by, tool_version)
VALUES
    (:migration_set, :version, :name, :checksum, :state, :statements_done, :error, strftime('%Y-%m-%d %H:%M:%f000', 'now'),
     :execution_ms, :applied_by, :tool_version)
