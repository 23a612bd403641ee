-- Lease locks: a row per lock, owned until expires_at, renewed by the owner's heartbeat.
-- Works where GET_LOCK does not: on a MariaDB Galera cluster (error 1235).
CREATE TABLE IF NOT EXISTS taskwarden_locks (
    name         VARCHAR(100) NOT NULL PRIMARY KEY,
    owner        VARCHAR(255) NOT NULL,
    acquired_at  DATETIME(6)  NOT NULL,
    heartbeat_at DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
