-- Who holds the lease :name, and until when.
SELECT owner, expires_at FROM taskwarden_locks WHERE name = :name
