-- Drops the staging table once the purge's partitions are dropped.
DROP TABLE IF EXISTS {{staging}}
