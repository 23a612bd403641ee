-- TaskWarden's migration history: one row per migration of each set, and an append-only
-- log of everything done to it (apply, revert, baseline, repair, failure).
-- Created by the engine inside its BEGIN IMMEDIATE transaction, before the first migration.

CREATE TABLE IF NOT EXISTS taskwarden_schema_migrations (
    migration_set   TEXT      NOT NULL,
    version         INTEGER   NOT NULL,
    name            TEXT      NOT NULL,
    checksum        TEXT      NOT NULL,
    -- applied | baseline | failed | in_progress
    state           TEXT      NOT NULL,
    statements_done INTEGER   NOT NULL DEFAULT 0,
    error           TEXT,
    changed_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    execution_ms    INTEGER,
    applied_by      TEXT      NOT NULL,
    tool_version    TEXT      NOT NULL,
    PRIMARY KEY (migration_set, version)
);

CREATE TABLE IF NOT EXISTS taskwarden_schema_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    migration_set TEXT      NOT NULL,
    version       INTEGER   NOT NULL,
    action        TEXT      NOT NULL,
    checksum      TEXT,
    detail        TEXT,
    happened_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    host          TEXT      NOT NULL,
    tool_version  TEXT      NOT NULL
);
