-- The declared type of the table's id column, so that run ids given as text are checked
-- against it before any statement uses them (a text id compared with an integer column is an
-- error here, and a silent cast elsewhere).
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
--   :column_name        the id column's name
SELECT format_type(atttypid, atttypmod) AS data_type
FROM pg_attribute
WHERE attrelid = CAST(:quoted_table_name AS regclass)
  AND attname = :column_name
  AND NOT attisdropped
