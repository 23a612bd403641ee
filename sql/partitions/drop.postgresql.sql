-- Drops one partition of the task table, rows and all, under lock.sql's lock, in its
-- transaction.
DROP TABLE {{partition}}
