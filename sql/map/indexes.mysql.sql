-- The table's indexes, one row per indexed column in order, so that `taskwarden map` can say
-- whether the stuck and retention queries have one to use.
--   :schema_name  the table's schema (database), or NULL for the current one
--   :table_name   the table's name, without schema
SELECT index_name AS index_name, column_name AS column_name, seq_in_index AS position
FROM information_schema.statistics
WHERE table_schema = COALESCE(:schema_name, DATABASE())
  AND table_name = :table_name
ORDER BY index_name, seq_in_index
