-- The server's settings that decide what a delete costs, printed with the results: durability
-- (innodb_flush_log_at_trx_commit, sync_binlog, log_bin, doublewrite), memory (the buffer pool).
SELECT LOWER(variable_name) AS name, variable_value AS value
FROM information_schema.global_variables
WHERE variable_name IN ('INNODB_FLUSH_LOG_AT_TRX_COMMIT', 'INNODB_BUFFER_POOL_SIZE', 'SYNC_BINLOG', 'LOG_BIN', 'INNODB_DOUBLEWRITE',
                        'INNODB_LOG_FILE_SIZE', 'INNODB_FLUSH_METHOD')
ORDER BY name
