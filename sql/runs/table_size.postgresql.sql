-- The table's size on disk, indexes and TOAST included.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
SELECT pg_total_relation_size(CAST(:quoted_table_name AS regclass)) AS bytes
