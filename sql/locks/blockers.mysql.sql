-- The sessions holding a lock that session :id waits for. InnoDB row locks name their holder
-- (information_schema.INNODB_LOCK_WAITS, MariaDB and MySQL 5.7); a metadata lock wait (LOCK
-- TABLES, DDL) names none, and shows as the waiting session's own state, with id 0.
-- Run from a second session while the first one waits.
SELECT blocking.trx_mysql_thread_id AS id,
       coalesce(p.USER, '') AS user_name,
       coalesce(p.HOST, '') AS application,
       coalesce(p.STATE, '') AS state,
       left(coalesce(p.INFO, ''), 120) AS query
FROM information_schema.INNODB_TRX AS waiting
JOIN information_schema.INNODB_LOCK_WAITS AS w ON w.requesting_trx_id = waiting.trx_id
JOIN information_schema.INNODB_TRX AS blocking ON blocking.trx_id = w.blocking_trx_id
LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = blocking.trx_mysql_thread_id
WHERE waiting.trx_mysql_thread_id = :id
UNION ALL
SELECT 0, '', '', STATE, ''
FROM information_schema.PROCESSLIST
WHERE ID = :id AND STATE LIKE 'Waiting for%lock%'
