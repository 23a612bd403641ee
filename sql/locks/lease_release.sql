-- Gives up the lease :name, if :owner still holds it.
DELETE FROM taskwarden_locks WHERE name = :name AND owner = :owner
