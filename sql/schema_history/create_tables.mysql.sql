-- TaskWarden's migration history: one row per migration of each set, and an append-only
-- log of everything done to it (apply, revert, baseline, repair, failure).
-- Created by the engine under the migration lock, before the first migration runs.

CREATE TABLE IF NOT EXISTS taskwarden_schema_migrations (
    migration_set   VARCHAR(100) NOT NULL,
    version         BIGINT       NOT NULL,
    name            VARCHAR(255) NOT NULL,
    checksum        CHAR(64)     NOT NULL,
    -- applied | baseline | failed | in_progress
    state           VARCHAR(16)  NOT NULL,
    -- statements completed: MySQL commits DDL implicitly, so a failure can leave some done
    statements_done INT          NOT NULL DEFAULT 0,
    error           TEXT         NULL,
    changed_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    execution_ms    BIGINT       NULL,
    applied_by      VARCHAR(255) NOT NULL,
    tool_version    VARCHAR(32)  NOT NULL,
    PRIMARY KEY (migration_set, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS taskwarden_schema_events (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    migration_set VARCHAR(100) NOT NULL,
    version       BIGINT       NOT NULL,
    action        VARCHAR(16)  NOT NULL,
    checksum      CHAR(64)     NULL,
    detail        TEXT         NULL,
    happened_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    host          VARCHAR(255) NOT NULL,
    tool_version  VARCHAR(32)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
