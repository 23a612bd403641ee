-- The partitions of a partitioned task table (purge drops those wholly past retention): each
-- leaf partition's schema, name and bound, and the table's partition key. Sub-partitioned
-- children (themselves partitioned) are not listed: their rows are purged by batches.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
--   :table_name         unused here (MySQL's form)
SELECT n.nspname AS schema_name,
       c.relname AS name,
       pg_get_partkeydef(i.inhparent) AS partition_key,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       CAST(GREATEST(c.reltuples, 0) AS bigint) AS estimated_rows
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.inhparent = CAST(:quoted_table_name AS regclass)
  AND c.relkind = 'r'
  AND c.relispartition
ORDER BY c.relname
