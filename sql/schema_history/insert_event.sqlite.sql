-- Appends to the audit log: :action is apply, revert, baseline, repair or fail.
INSERT INTO taskwarden_schema_events
    (migration_set, version, action, checksum, detail, happened_at, host, tool_version)
VALUES
    (:migration_set, :version, :action, :checksum, :detail, strftime('%Y-%m-%d %H:%M:%f000', 'now'), :host, :tool_version)
