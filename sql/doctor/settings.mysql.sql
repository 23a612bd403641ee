-- The settings and activity behind the seeds' incidents, for taskwarden doctor.
--   wait_timeout                 seconds before the server drops an idle connection: a worker
--                                holding one through long work gets "2013 Lost connection"
--   long_transactions            InnoDB transactions open for more than :long_seconds
--   oldest_transaction_seconds   the oldest open InnoDB transaction
SELECT @@global.wait_timeout AS wait_timeout,
       @@global.innodb_lock_wait_timeout AS innodb_lock_wait_timeout,
       (SELECT COUNT(*) FROM information_schema.innodb_trx
         WHERE trx_started < NOW() - INTERVAL :long_seconds SECOND) AS long_transactions,
       (SELECT TIMESTAMPDIFF(SECOND, MIN(trx_started), NOW()) FROM information_schema.innodb_trx) AS oldest_transaction_seconds
