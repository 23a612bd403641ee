-- The distinct status values in one partition, read through the (status, ...) index (InnoDB's
-- loose index scan for a DISTINCT on an index prefix). A partition holding a status the purge
-- does not remove is kept.
SELECT DISTINCT {{status}} AS status FROM {{table}} PARTITION ({{partition}})
