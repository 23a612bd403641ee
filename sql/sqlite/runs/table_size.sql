-- The size of the whole database file: SQLite keeps every table in one file, and per-table
-- sizes need the optional dbstat module. :table_name is unused here.
SELECT page_count * page_size AS bytes, :table_name AS table_name
FROM pragma_page_count(), pragma_page_size()
