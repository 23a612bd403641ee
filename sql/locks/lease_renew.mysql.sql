-- Extends the lease :name held by :owner by :ttl_us microseconds from now. 0 rows: lost it.
UPDATE taskwarden_locks
SET heartbeat_at = NOW(6), expires_at = NOW(6) + INTERVAL :ttl_us MICROSECOND
WHERE name = :name AND owner = :owner
