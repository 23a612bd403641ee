-- Purge sessions read committed data without gap locks, so a batch's range delete does not
-- block workers inserting or finishing runs next to the range (REPEATABLE READ would lock the
-- gaps around it until the batch commits).
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED
