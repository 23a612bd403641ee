-- Whether :owner still holds the lease :name, unexpired: the watchdog's fence, run first in each
-- transaction that changes runs. No row: the lease expired or was taken over, and the
-- transaction is rolled back.
-- SQLite: the transaction's write lock (BEGIN IMMEDIATE) already keeps a takeover out.
SELECT owner FROM taskwarden_locks
WHERE name = :name AND owner = :owner AND expires_at > strftime('%Y-%m-%d %H:%M:%f000', 'now')
