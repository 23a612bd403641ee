-- The declared type of each column of the table, so that input is checked against the table
-- before any statement uses it: run ids against the id column (MySQL casts '2,3', '1abc' and
-- '1; DROP ...' to the number 2 or 1 when compared with an integer column, and would change
-- that run), and the note's column must not be a time column.
--   :schema_name  the table's schema (database), or NULL for the current one
--   :table_name   the table's name, without schema
SELECT column_name AS column_name, data_type AS data_type
FROM information_schema.columns
WHERE table_schema = COALESCE(:schema_name, DATABASE())
  AND table_name = :table_name
