-- Marks a partition detach.sql took out, in the same transaction, as one to drop: if the purge
-- stops before drop.sql, the next purge finds it by this mark (detached.sql) and drops it.
-- Only tables carrying exactly this comment are ever dropped so.
COMMENT ON TABLE {{partition}} IS 'taskwarden purge: detached partition, to be dropped'
