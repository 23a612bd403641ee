-- For the choice of the walk (PurgeOrder): the table's row count as InnoDB estimates it. MySQL
-- keeps no correlation statistic: the purger samples (sample_finish_order.sql).
--   :table_name  the table's name, without schema; looked up in the current database
SELECT COALESCE(MAX(table_rows), 0) AS n, NULL AS correlation
FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_name = :table_name
