-- The table's indexes, one row per indexed column in order, so that `taskwarden map` can say
-- whether the stuck and retention queries have one to use.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
SELECT i.relname AS index_name, a.attname AS column_name, k.position AS position
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE x.indrelid = CAST(:quoted_table_name AS regclass)
ORDER BY i.relname, k.position
