-- Extends the lease :name held by :owner by :ttl_us microseconds from now. 0 rows: lost it.
UPDATE taskwarden_locks
SET heartbeat_at = strftime('%Y-%m-%d %H:%M:%f000', 'now'),
    expires_at = strftime('%Y-%m-%d %H:%M:%f000', 'now', '+' || (:ttl_us / 1000000.0) || ' seconds')
WHERE name = :name AND owner = :owner
