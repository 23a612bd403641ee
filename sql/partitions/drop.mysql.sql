-- Drops one partition of the task table, emptied by exchange.sql, under lock.sql's lock.
ALTER TABLE {{table}} DROP PARTITION {{partition}}
