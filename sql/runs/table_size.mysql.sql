-- The table's size on disk, data and indexes, as InnoDB estimates it.
--   :table_name  the table's name, without schema; looked up in the current database
SELECT COALESCE(SUM(data_length + index_length), 0) AS bytes
FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_name = :table_name
