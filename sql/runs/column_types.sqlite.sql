-- The declared type of each column of the table, so that input is checked against the table
-- before any statement uses it: run ids against the id column (SQLite converts '0042' to 42
-- for an integer column, and compares other text with it as never equal), and the note's
-- column must not be a time column.
--   :schema_name  the table's schema, or NULL for 'main'
--   :table_name   the table's name, without schema
SELECT name AS column_name, type AS data_type
FROM pragma_table_info(:table_name, COALESCE(:schema_name, 'main'))
