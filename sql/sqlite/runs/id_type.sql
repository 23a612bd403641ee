-- The declared type of the table's id column, so that run ids given as text are checked
-- against it before any statement uses them: SQLite converts '0042' to 42 for an integer
-- column, and compares other text with it as never equal.
--   :schema_name  the table's schema, or NULL for 'main'
--   :table_name   the table's name, without schema
--   :column_name  the id column's name
SELECT type AS data_type
FROM pragma_table_info(:table_name, COALESCE(:schema_name, 'main'))
WHERE name = :column_name
