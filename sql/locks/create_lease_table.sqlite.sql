-- Lease locks: a row per lock, owned until expires_at, renewed by the owner's heartbeat.
CREATE TABLE IF NOT EXISTS taskwarden_locks (
    name         TEXT      NOT NULL PRIMARY KEY,
    owner        TEXT      NOT NULL,
    acquired_at  TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
)
