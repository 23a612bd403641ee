-- The session's wsrep_sync_wait, to put back after galera_sync_wait.mysql.sql.
SELECT @@SESSION.wsrep_sync_wait AS previous
