-- Appends to the audit log: :action is apply, revert, baseline, repair or fail.
INSERT INTO taskwarden_schema_events
    (migration_set, version, action, checksum, detail, happened_at, host, tool_version)
VALUES
    (:migration_set, :version, :action, :checksum, :detail, now(), :host, :tool_version)
