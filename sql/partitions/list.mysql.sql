-- The partitions of a partitioned task table (purge drops those wholly past retention): each
-- partition's name, its upper bound (`PARTITION_DESCRIPTION`: a quoted time for RANGE
-- COLUMNS, a number for RANGE over TO_DAYS() or UNIX_TIMESTAMP(), MAXVALUE for the last),
-- the method and the partition expression. Tables partitioned by anything else, or
-- sub-partitioned, are purged by batches.
--   :table_name         the table's name, without schema; looked up in the current database
--   :quoted_table_name  unused here (PostgreSQL's form)
SELECT NULL AS schema_name,
       PARTITION_NAME AS name,
       CONCAT(PARTITION_METHOD, ' (', COALESCE(PARTITION_EXPRESSION, ''), ')') AS partition_key,
       PARTITION_DESCRIPTION AS bound,
       COALESCE(TABLE_ROWS, 0) AS estimated_rows
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = :table_name
  AND PARTITION_NAME IS NOT NULL
  AND SUBPARTITION_NAME IS NULL
ORDER BY PARTITION_ORDINAL_POSITION
