-- The size of the whole database file: SQLite keeps every table in one file, and per-table
-- sizes need the optional dbstat module, so the table's name is not used.
SELECT page_count * page_size AS bytes
FROM pragma_page_count(), pragma_page_size()
