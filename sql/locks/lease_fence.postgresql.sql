-- Whether :owner still holds the lease :name, unexpired: the watchdog's fence, run first in each
-- transaction that changes runs. No row: the lease expired or was taken over, and the
-- transaction is rolled back.
-- FOR UPDATE keeps the row, so a takeover (lease_claim) waits until this transaction ends.
SELECT owner FROM taskwarden_locks
WHERE name = :name AND owner = :owner AND expires_at > now()
FOR UPDATE
