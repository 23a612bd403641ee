-- Claims the lease :name for :owner for :ttl_us microseconds, if it is free or expired.
-- Whether the claim won is read back with lease_owner.sql. MySQL assigns left to right,
-- so expires_at is updated last: every IF() before it still sees the old expiry.
INSERT INTO taskwarden_locks (name, owner, acquired_at, heartbeat_at, expires_at)
VALUES (:name, :owner, NOW(6), NOW(6), NOW(6) + INTERVAL :ttl_us MICROSECOND)
ON DUPLICATE KEY UPDATE
    owner        = IF(expires_at < NOW(6), VALUES(owner), owner),
    acquired_at  = IF(expires_at < NOW(6), VALUES(acquired_at), acquired_at),
    heartbeat_at = IF(expires_at < NOW(6), VALUES(heartbeat_at), heartbeat_at),
    expires_at   = IF(expires_at < NOW(6), VALUES(expires_at), expires_at)
