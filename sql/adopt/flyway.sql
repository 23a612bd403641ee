-- Flyway's history, in the order it was written (installed_rank): versioned rows (type SQL),
-- repeatable rows (version NULL), undo rows (UNDO_SQL), the baseline (BASELINE), each with
-- Flyway's CRC32 checksum and whether it succeeded. The table as Flyway creates it:
-- flyway_schema_history (installed_rank, version, description, type, script, checksum,
-- installed_by, installed_on, execution_time, success). Read by 'migrate adopt'.
SELECT installed_rank, version, description, type, script, checksum,
       CASE WHEN success THEN 1 ELSE 0 END AS success
FROM flyway_schema_history
ORDER BY installed_rank
