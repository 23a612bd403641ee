-- The session's isolation level before the purge changes it (session.sql), so that the purge
-- puts it back when it ends: the connection is the caller's, and may go on working.
-- MariaDB names the variable tx_isolation; MySQL 8 only transaction_isolation.
SELECT {{#if mariadb}}@@SESSION.tx_isolation{{else}}@@SESSION.transaction_isolation{{/if}} AS previous
