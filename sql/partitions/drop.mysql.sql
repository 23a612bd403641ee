-- Drops one partition of the task table, rows and all, under lock.sql's lock.
ALTER TABLE {{table}} DROP PARTITION {{partition}}
