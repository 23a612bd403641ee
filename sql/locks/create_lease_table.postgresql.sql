-- Lease locks: a row per lock, owned until expires_at, renewed by the owner's heartbeat.
-- Works where session locks do not: behind pgbouncer in transaction pooling mode.
CREATE TABLE IF NOT EXISTS taskwarden_locks (
    name         VARCHAR(100) PRIMARY KEY,
    owner        VARCHAR(255) NOT NULL,
    acquired_at  TIMESTAMPTZ  NOT NULL,
    heartbeat_at TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL
)
