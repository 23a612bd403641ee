-- The declared type of each column of the table, so that input is checked against the table
-- before any statement uses it: run ids against the id column (a text id compared with an
-- integer column is an error here, and a silent cast elsewhere), and the note's column must
-- not be a time column.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
SELECT attname AS column_name, format_type(atttypid, atttypmod) AS data_type
FROM pg_attribute
WHERE attrelid = CAST(:quoted_table_name AS regclass)
  AND attnum > 0
  AND NOT attisdropped
