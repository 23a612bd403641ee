-- Claims the lease :name for :owner for :ttl_us microseconds, if it is free or expired.
-- Whether the claim won is read back with lease_owner.sql.
INSERT INTO taskwarden_locks (name, owner, acquired_at, heartbeat_at, expires_at)
VALUES (
    :name, :owner,
    strftime('%Y-%m-%d %H:%M:%f000', 'now'),
    strftime('%Y-%m-%d %H:%M:%f000', 'now'),
    strftime('%Y-%m-%d %H:%M:%f000', 'now', '+' || (:ttl_us / 1000000.0) || ' seconds'))
ON CONFLICT (name) DO UPDATE
SET owner = excluded.owner, acquired_at = excluded.acquired_at,
    heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
WHERE taskwarden_locks.expires_at < strftime('%Y-%m-%d %H:%M:%f000', 'now')
