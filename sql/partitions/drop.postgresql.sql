-- Drops a partition detach.sql took out of the task table (and its files), on its own: the task
-- table is not locked while the files are freed.
DROP TABLE {{partition}}
