-- Takes one partition out of the task table, under lock.sql's lock, in the transaction that
-- checks it once more: its rows leave the table at the commit, and the table's lock is held
-- only for the check and this catalog change. The files go afterwards (drop.sql), without the
-- table's lock: freeing a partition's files took 50-90 ms per 400 000 rows on the benchmark's
-- disk, all of it with every worker's query on the table waiting when done in one transaction.
ALTER TABLE {{table}} DETACH PARTITION {{partition}}
