-- The declared type of the table's id column, so that run ids given as text are checked
-- against it before any statement uses them: MySQL casts '2,3', '1abc' and '1; DROP ...' to
-- the number 2 or 1 when compared with an integer column, and would change that run.
--   :schema_name  the table's schema (database), or NULL for the current one
--   :table_name   the table's name, without schema
--   :column_name  the id column's name
SELECT data_type AS data_type
FROM information_schema.columns
WHERE table_schema = COALESCE(:schema_name, DATABASE())
  AND table_name = :table_name
  AND column_name = :column_name
