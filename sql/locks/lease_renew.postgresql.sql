-- Extends the lease :name held by :owner by :ttl_us microseconds from now. 0 rows: lost it.
UPDATE taskwarden_locks
SET heartbeat_at = now(), expires_at = now() + :ttl_us * interval '1 microsecond'
WHERE name = :name AND owner = :owner
