-- Frees the rows exchange.sql moved into the staging table (a new empty file), with the task
-- table unlocked, for the next partition.
TRUNCATE TABLE {{staging}}
