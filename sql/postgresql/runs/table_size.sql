-- The table's size on disk, indexes and TOAST included. :table_name is the (quoted) name.
SELECT pg_total_relation_size(CAST(:table_name AS regclass)) AS bytes
