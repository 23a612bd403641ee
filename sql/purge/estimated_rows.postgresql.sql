-- For the choice of the walk (PurgeOrder): the table's row count as the planner estimates it
-- (-1 before the first VACUUM or ANALYZE), and the correlation between the finish time column's
-- order and the table's physical order (pg_stats, NULL before ANALYZE): near 1 or -1, rows
-- finish in the order they sit in the table.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
--   :table_name         unused here (MySQL's form)
--   :column_name        the finish time column's name
SELECT CAST(c.reltuples AS bigint) AS n,
       (SELECT s.correlation FROM pg_stats s JOIN pg_namespace ns ON ns.nspname = s.schemaname
        WHERE ns.oid = c.relnamespace AND s.tablename = c.relname AND s.attname = :column_name
        LIMIT 1) AS correlation
FROM pg_class c
WHERE c.oid = CAST(:quoted_table_name AS regclass)
