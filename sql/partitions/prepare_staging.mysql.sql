-- An empty table shaped like one partition of the task table, to take a partition's rows out
-- of it with EXCHANGE PARTITION (exchange.sql): made fresh for each purge that drops
-- partitions. A staging table left by an interrupted purge holds only rows already out of the
-- task table, all past retention: it is dropped here first. The name is TaskWarden's own
-- (taskwarden_purge_staging, next to the task table).
DROP TABLE IF EXISTS {{staging}};
CREATE TABLE {{staging}} LIKE {{table}};
ALTER TABLE {{staging}} REMOVE PARTITIONING
