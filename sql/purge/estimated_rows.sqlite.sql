-- For the choice of the walk (PurgeOrder): the table's row count. SQLite keeps no estimate
-- outside ANALYZE's sqlite_stat1, which a table may never have had; the count reads the
-- smallest index. No correlation statistic: the purger samples (sample_finish_order.sql).
SELECT COUNT(*) AS n, NULL AS correlation
FROM {{table}}
