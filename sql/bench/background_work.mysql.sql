-- Work the server still does in the background after a delete commits: InnoDB only marks
-- deleted rows, and its purge threads remove them later (the history list counts committed
-- transactions not yet purged). Batches pay for that cleanup while they run, a single DELETE
-- after it returns: the benchmark waits for it to reach zero after both, and counts the wait.
SELECT count AS pending FROM information_schema.INNODB_METRICS WHERE name = 'trx_rseg_history_len'
