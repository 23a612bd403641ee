-- The settings and activity behind the seeds' incidents, for taskwarden doctor.
--   idle_in_transaction_session_timeout  0 means a session idle inside a transaction keeps
--                                        its locks forever
--   long_transactions                    transactions open for more than :long_seconds
--   oldest_transaction_seconds           the oldest open transaction, other than this session's
SELECT current_setting('idle_in_transaction_session_timeout') AS idle_in_transaction_session_timeout,
       current_setting('statement_timeout') AS statement_timeout,
       (SELECT COUNT(*) FROM pg_stat_activity
         WHERE xact_start < now() - :long_seconds * interval '1 second' AND pid <> pg_backend_pid()) AS long_transactions,
       (SELECT EXTRACT(EPOCH FROM now() - MIN(xact_start))::bigint FROM pg_stat_activity
         WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()) AS oldest_transaction_seconds
