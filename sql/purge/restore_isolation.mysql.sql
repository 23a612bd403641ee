-- Puts back the isolation level session_read.sql read before the purge.
SET SESSION {{#if mariadb}}tx_isolation{{else}}transaction_isolation{{/if}} = :previous
