-- The runs of each common status value as the planner estimates them: pg_stats' most common
-- values of the status column and their frequencies, times pg_class.reltuples. Catalog rows
-- only, whatever the table's size; empty before the first ANALYZE (or autovacuum's). A value
-- too rare to be among the most common is not listed (the caller counts it, cheaply, since it
-- is rare).
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
--   :column_name        the status column's name
SELECT v.value AS status, CAST(ROUND(v.frequency * c.reltuples) AS bigint) AS n
FROM pg_class c
JOIN pg_namespace ns ON ns.oid = c.relnamespace
JOIN pg_stats s ON s.schemaname = ns.nspname AND s.tablename = c.relname AND s.attname = :column_name
CROSS JOIN LATERAL unnest(CAST(CAST(s.most_common_vals AS text) AS text[]), s.most_common_freqs) AS v(value, frequency)
WHERE c.oid = CAST(:quoted_table_name AS regclass) AND c.reltuples >= 0
